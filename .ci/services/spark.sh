# A local Apache Spark with its Spark Connect server on loopback, for the
# Spark pushdown tests (checker/sqlpush/spark; tests read
# DRIFTGATE_TEST_SPARK_CONNECT, a sc:// URL). PyPI's pyspark carries the
# whole Spark distribution, the Spark Connect server's jar included, so
# nothing comes from Maven at run time; it installs into a virtualenv cached
# between runs. Java 17 runs it (Debian's headless JRE when missing). One
# local JVM with two task threads and a 1 GiB driver keeps it small.
spark_version=4.3.0
spark_venv="${XDG_CACHE_HOME:-$HOME/.cache}/driftgate/pyspark-$spark_version"
if ! command -v java >/dev/null 2>&1; then apt_install openjdk-17-jre-headless; fi
SECONDS=0
# .installed marks a finished install: an interrupted one is redone.
if [ ! -f "$spark_venv/.installed" ]; then
  apt_install python3-venv
  rm -rf "$spark_venv" && python3 -m venv "$spark_venv"
  "$spark_venv/bin/pip" install -q --disable-pip-version-check "pyspark==$spark_version"
  touch "$spark_venv/.installed"
  echo "installed pyspark $spark_version in ${SECONDS}s"
fi
spark_home=$("$spark_venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
spark_dir="$DRIFTGATE_SERVICES_DIR/spark"
mkdir -p "$spark_dir/warehouse" "$spark_dir/tmp"
spark_port=$(free_port)
SECONDS=0
# spark-submit execs the JVM, so $! is the server itself. Shuffles get two
# partitions (the default 200 would make every small GROUP BY slow).
(cd "$spark_dir" && SPARK_HOME="$spark_home" SPARK_LOCAL_IP=127.0.0.1 SPARK_LOG_DIR="$spark_dir" SPARK_PID_DIR="$spark_dir" \
  exec "$spark_home/bin/spark-submit" --class org.apache.spark.sql.connect.service.SparkConnectServer \
  --name "driftgate test Spark Connect" --master 'local[2]' --driver-memory 1g \
  --conf spark.connect.grpc.binding.address=127.0.0.1 --conf spark.connect.grpc.binding.port="$spark_port" \
  --conf spark.driver.bindAddress=127.0.0.1 --conf spark.driver.host=127.0.0.1 --conf spark.ui.enabled=false \
  --conf spark.sql.shuffle.partitions=2 --conf spark.sql.catalogImplementation=in-memory \
  --conf spark.sql.warehouse.dir="$spark_dir/warehouse" --conf spark.local.dir="$spark_dir/tmp" \
  --conf spark.sql.session.timeZone=UTC --driver-java-options "-Djava.io.tmpdir=$spark_dir/tmp" \
  >"$spark_dir/server.log" 2>&1) &
spark_pid=$!
on_exit "stop_pid $spark_pid"
# Up when the gRPC port accepts a connection: the server binds it only once
# its Spark session is ready. At most 180 s (a cold JVM on a busy 2-core
# machine takes 10-20 s).
wait_up "Spark Connect" "$spark_pid" "$spark_dir/server.log" "$spark_port" 180 || return 1
DRIFTGATE_TEST_SPARK_CONNECT="sc://127.0.0.1:$spark_port"
export DRIFTGATE_TEST_SPARK_CONNECT
echo "Spark $spark_version (Spark Connect) at $DRIFTGATE_TEST_SPARK_CONNECT, up in ${SECONDS}s"

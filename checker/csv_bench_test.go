package checker

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// BenchmarkCheckCSV checks the data of BenchmarkCheckParquet written as a
// 1M-row CSV against the same 20 rules: the hot path of `driftgate check`
// on text data, record splitting, parsing and line numbers included.
func BenchmarkCheckCSV(b *testing.B) {
	const rows = 1 << 20
	path := filepath.Join(b.TempDir(), "orders.csv")
	writeBenchCSV(b, path, rows)
	benchCheck(b, path, rows)
}

// writeBenchCSV writes the rows writeBenchParquet writes, as CSV.
func writeBenchCSV(b *testing.B, path string, rows int) {
	b.Helper()
	statuses := []string{"open", "closed", "pending"}
	countries := []string{"DE", "FR", "NL", "US", "JP", "BR"}
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	buf := []byte("id,customer_id,amount,rate,status,email,created,country\n")
	for i := range rows {
		buf = strconv.AppendInt(buf, int64(i+1), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(i%1000000+1), 10)
		buf = append(buf, ',')
		cents := int64(i%10000000) + 1
		buf = strconv.AppendInt(buf, cents/100, 10)
		buf = append(buf, '.', byte('0'+cents%100/10), byte('0'+cents%10), ',')
		buf = strconv.AppendFloat(buf, float64(i%1000+1)/1000, 'g', -1, 64)
		buf = append(buf, ',')
		buf = append(buf, statuses[i%3]...)
		buf = append(buf, ',')
		if i%100 != 0 {
			buf = append(buf, "user"...)
			buf = strconv.AppendInt(buf, int64(i), 10)
			buf = append(buf, "@example.com"...)
		}
		buf = append(buf, ',')
		buf = base.Add(time.Duration(i)*time.Millisecond).AppendFormat(buf, time.RFC3339Nano)
		buf = append(buf, ',')
		buf = append(buf, countries[i%len(countries)]...)
		buf = append(buf, '\n')
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		b.Fatal(err)
	}
}

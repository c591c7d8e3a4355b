package checker

import (
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// BenchmarkObserve measures the engine's per-type loops alone, without
// reading a file: one 64Ki-value array per column type through the rules a
// contract declares on it. It isolates what calling each rule's typed
// method costs per value.
func BenchmarkObserve(b *testing.B) {
	const n = 64 * 1024
	mem := memory.NewGoAllocator()
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	build := func(dt arrow.DataType, fill func(bl array.Builder, i int)) arrow.Array {
		bl := array.NewBuilder(mem, dt)
		defer bl.Release()
		for i := 0; i < n; i++ {
			fill(bl, i)
		}
		return bl.NewArray()
	}
	cases := []struct {
		name, props string
		arr         arrow.Array
	}{
		{"int64 range", "- name: x\n  logicalType: integer\n  logicalTypeOptions:\n    minimum: 0\n    maximum: 1000000000",
			build(arrow.PrimitiveTypes.Int64, func(bl array.Builder, i int) { bl.(*array.Int64Builder).Append(int64(i)) })},
		{"float64 range", "- name: x\n  logicalType: number\n  logicalTypeOptions:\n    exclusiveMinimum: 0\n    maximum: 1",
			build(arrow.PrimitiveTypes.Float64, func(bl array.Builder, i int) { bl.(*array.Float64Builder).Append(float64(i%1000+1) / 1000) })},
		{"decimal128 range", "- name: x\n  logicalType: number\n  physicalType: decimal(12,2)\n  logicalTypeOptions:\n    minimum: 0\n    maximum: 100000",
			build(dec12s2, func(bl array.Builder, i int) { bl.(*array.Decimal128Builder).Append(decimal128.FromI64(int64(i))) })},
		{"timestamp range", "- name: x\n  logicalType: timestamp\n  physicalType: timestamptz\n  logicalTypeOptions:\n    minimum: \"2020-01-01T00:00:00Z\"",
			build(tsUTC, func(bl array.Builder, i int) {
				bl.(*array.TimestampBuilder).Append(arrow.Timestamp(base + int64(i)*1000))
			})},
		{"string length and pattern", "- name: x\n  logicalType: string\n  logicalTypeOptions:\n    maxLength: 10\n    pattern: ^[A-Z]{2}$",
			build(arrow.BinaryTypes.String, func(bl array.Builder, i int) {
				bl.(*array.StringBuilder).Append([]string{"DE", "FR", "NL", "U" + strconv.Itoa(i%3)}[i%4])
			})},
		// The shared benchmark's text columns: an email format and a
		// maxLength, on values of the lengths it writes, one null in 20.
		{"string email format", "- name: x\n  logicalType: string\n  logicalTypeOptions:\n    format: email",
			build(arrow.BinaryTypes.String, func(bl array.Builder, i int) {
				if i%20 == 0 {
					bl.AppendNull()
					return
				}
				bl.(*array.StringBuilder).Append("user" + strconv.Itoa(i) + "@example.com")
			})},
		{"string maxLength", "- name: x\n  logicalType: string\n  logicalTypeOptions:\n    maxLength: 12",
			build(arrow.BinaryTypes.String, func(bl array.Builder, i int) {
				bl.(*array.StringBuilder).Append("u" + strconv.Itoa(i*7919%1000000))
			})},
		// Lists of 0 to 4 strings: the array rules, counting and comparing
		// items.
		{"list items and uniqueItems", "- name: x\n  logicalType: array\n  logicalTypeOptions:\n    minItems: 1\n    maxItems: 3\n    uniqueItems: true\n  items:\n    logicalType: string",
			build(arrow.ListOf(arrow.BinaryTypes.String), func(bl array.Builder, i int) {
				lb := bl.(*array.ListBuilder)
				lb.Append(true)
				for k := 0; k < i%5; k++ {
					lb.ValueBuilder().(*array.StringBuilder).Append([]string{"red", "green", "blue", "red"}[k])
				}
			})},
		{"list items only", "- name: x\n  logicalType: array\n  logicalTypeOptions:\n    maxItems: 3\n  items:\n    logicalType: integer",
			build(arrow.ListOf(arrow.PrimitiveTypes.Int64), func(bl array.Builder, i int) {
				lb := bl.(*array.ListBuilder)
				lb.Append(true)
				for k := 0; k < i%5; k++ {
					lb.ValueBuilder().(*array.Int64Builder).Append(int64(k))
				}
			})},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			c := parseContract(b, doc(tc.props))
			col, err := newColumn(c.Path, &c.Schemas[0].Properties[0], "")
			if err != nil {
				b.Fatal(err)
			}
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			start := cpuTime(syscall.RUSAGE_THREAD)
			for b.Loop() {
				col.observe("f", 1, tc.arr, nil)
			}
			b.ReportMetric(float64(cpuTime(syscall.RUSAGE_THREAD)-start)/float64(b.N), "cpu-ns/op")
		})
		tc.arr.Release()
	}
}

// cpuTime is the CPU time (user and system) of the thread or process in
// nanoseconds. On a machine shared with other work, wall time measures the
// queue for the CPU as much as the code; CPU time mostly the code.
func cpuTime(who int) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

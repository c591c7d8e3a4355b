package source

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// fastCSVReader reads CSV in parallel. One goroutine reads the file
// sequentially and cuts it into chunks at record boundaries (see
// lastRecordEnd); GOMAXPROCS workers parse chunks straight into typed Arrow
// builders, converting only the selected columns; Next hands the results
// out in file order, sliced into batches of at most BatchSize rows.
//
// It implements exactly the semantics of the reference csvReader (Arrow's
// CSV reader over encoding/csv with LazyQuotes off, then convert.go):
// FuzzCSVFast and TestCSVFastMatchesReference hold it to that. Two
// differences are by design: batches follow chunks, so they may hold fewer
// than BatchSize rows; and before a read error, the rows delivered are
// those of the chunks before the failing one rather than of whole
// BatchSize batches. Every error is fatal to the read, so callers never
// see the difference in a result that counts.
type fastCSVReader struct {
	in        *csvInput
	path      string
	mem       memory.Allocator
	batchSize int
	tune      fastTuning
	maxRecord int
	startLine int64
	src       io.Reader

	sel       []int
	selSchema *arrow.Schema
	started   bool
	done      bool
	closed    bool
	err       error
	rows      int64

	// Pipeline state, set by start.
	stop    chan struct{}
	order   chan chan chunkResult
	wg      sync.WaitGroup
	pending chan chunkResult // received from order, result not yet read
	cur     *chunkResult     // being handed out in batches
	curOff  int
}

// fastTuning sizes the pipeline; zero values mean the defaults. Tests use
// tiny chunks so that every boundary case crosses chunks.
type fastTuning struct {
	chunkSize int
	workers   int
}

// defaultChunkSize is the number of bytes a worker parses at a time.
// Measured with driftgate check on the 655 MB benchmark file, 2 cores:
// 256 KiB to 4 MiB chunks cost the same CPU time; 16 MiB ones cost 40%
// more and peak at 305 MB instead of 155 MB.
const defaultChunkSize = 1 << 20

func newFastCSV(in *csvInput, opts Options, tune fastTuning) (Reader, error) {
	if tune.chunkSize <= 0 {
		tune.chunkSize = defaultChunkSize
	}
	if tune.workers <= 0 {
		tune.workers = runtime.GOMAXPROCS(0)
	}
	r := &fastCSVReader{in: in, path: in.path, mem: opts.Mem, batchSize: opts.BatchSize, tune: tune, maxRecord: int(opts.CSV.MaxRecordBytes)}
	if r.maxRecord <= 0 {
		r.maxRecord = DefaultMaxRecordBytes
	}
	if in.first == nil {
		r.sel, r.selSchema = nil, in.schema
		r.done = true
		return r, nil
	}
	r.sel, r.selSchema = allColumns(in.schema), in.schema
	r.startLine = 1
	rest := in.head
	if !opts.CSV.NoHeader {
		rest = in.head[in.headLen:]
		r.startLine += int64(bytes.Count(in.head[:in.headLen], []byte{'\n'}))
	}
	r.src = io.MultiReader(bytes.NewReader(rest), in.br)
	return r, nil
}

func (r *fastCSVReader) Format() Format        { return CSV }
func (r *fastCSVReader) Schema() *arrow.Schema { return r.in.schema }
func (r *fastCSVReader) NumRows() int64        { return -1 }

func (r *fastCSVReader) Select(columns []string) error {
	sel, sc, err := selectColumns(r.path, r.started, r.in.schema, columns)
	if err != nil {
		return err
	}
	r.sel, r.selSchema = sel, sc
	return nil
}

func (r *fastCSVReader) Next(ctx context.Context) (Batch, error) {
	if err := nextGuard(ctx, r.path, r.closed, r.err, r.done); err != nil {
		return Batch{}, err
	}
	if !r.started {
		r.started = true
		r.start()
	}
	for r.cur == nil {
		if r.pending == nil {
			out, ok := <-r.order
			if !ok {
				r.done = true
				return Batch{}, io.EOF
			}
			r.pending = out
		}
		var res chunkResult
		select {
		case res = <-r.pending:
		case <-ctx.Done():
			return Batch{}, ctx.Err()
		}
		r.pending = nil
		if res.err != nil {
			res.release()
			r.err, r.done = res.err, true
			return Batch{}, r.err
		}
		if res.rows == 0 {
			res.release()
			continue
		}
		r.cur, r.curOff = &res, 0
	}
	return r.batch(), nil
}

// batch cuts the next batch from the current chunk's result.
func (r *fastCSVReader) batch() Batch {
	res := r.cur
	off := r.curOff
	n := min(r.batchSize, res.rows-off)
	first := r.rows + 1
	var rec arrow.RecordBatch
	if off == 0 && n == res.rows {
		rec = array.NewRecordBatch(r.selSchema, res.cols, int64(n))
	} else {
		// Slices share the chunk's buffers; no copy.
		cols := make([]arrow.Array, len(res.cols))
		for i, c := range res.cols {
			cols[i] = array.NewSlice(c, int64(off), int64(off+n))
		}
		rec = array.NewRecordBatch(r.selSchema, cols, int64(n))
		releaseAll(cols)
	}
	var invalid []CellError
	for len(res.invalid) > 0 && res.invalid[0].Row < int64(off+n) {
		ce := res.invalid[0]
		ce.Row = first + ce.Row - int64(off)
		invalid = append(invalid, ce)
		res.invalid = res.invalid[1:]
	}
	r.rows += int64(n)
	r.curOff += n
	if r.curOff == res.rows {
		res.release()
		r.cur = nil
	}
	return Batch{Record: rec, FirstRow: first, Invalid: invalid, Lines: res.lines.slice(off, n)}
}

// maxInFlight bounds the chunks cut but not yet handed out, per worker:
// enough to keep every worker busy while Next's caller works on a batch.
const maxInFlight = 2

// start launches the splitter and the workers.
func (r *fastCSVReader) start() {
	spec := newScanSpec(r.in, r.sel, r.mem)
	workers := r.tune.workers
	inflight := maxInFlight * workers
	r.stop = make(chan struct{})
	r.order = make(chan chan chunkResult, inflight)
	jobs := make(chan chunkJob)
	// Chunk buffers are reused: at most inflight+workers+1 exist at once.
	free := make(chan []byte, inflight+workers+1)
	r.wg.Add(1 + workers)
	go func() {
		defer r.wg.Done()
		defer close(jobs)
		defer close(r.order)
		sp := splitter{src: r.src, size: r.tune.chunkSize, line: r.startLine, free: free, max: r.maxRecord}
		sp.run(r.stop, jobs, r.order)
	}()
	for range workers {
		go func() {
			defer r.wg.Done()
			var p chunkParser
			for j := range jobs {
				res := p.parse(spec, j)
				select {
				case free <- j.buf[:0]:
				default:
				}
				j.out <- res
			}
		}()
	}
}

func (r *fastCSVReader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if r.stop != nil {
		close(r.stop)
		// The splitter and workers finish their current step and exit; the
		// file is closed only after, since a gzip reader must not be closed
		// under a concurrent Read.
		r.wg.Wait()
		if r.pending != nil {
			drain(r.pending)
		}
		for out := range r.order {
			drain(out)
		}
	}
	if r.cur != nil {
		r.cur.release()
		r.cur = nil
	}
	return r.in.close()
}

// drain releases a result if its worker delivered one.
func drain(out chan chunkResult) {
	select {
	case res := <-out:
		res.release()
	default:
	}
}

// chunkJob is one chunk to parse.
type chunkJob struct {
	buf []byte
	// line is the file line number of buf[0].
	line int64
	// newlines counts '\n' in buf: an upper bound on its records, used to
	// size the builders once.
	newlines int
	// final marks the file's last chunk, which ends at EOF rather than
	// after a newline.
	final bool
	// readErr is the error that ended the input early. It is reported
	// unless a parse error comes first in a record it did not cut off.
	readErr error
	out     chan chunkResult
}

// chunkResult is a parsed chunk.
type chunkResult struct {
	rows  int
	lines Lines
	cols  []arrow.Array
	// invalid rows are 0-based within the chunk.
	invalid []CellError
	err     error
}

func (c *chunkResult) release() {
	releaseAll(c.cols)
	c.cols = nil
}

// splitter reads the input and cuts it into chunks.
type splitter struct {
	src  io.Reader
	size int
	line int64
	free chan []byte
	// max bounds one record: the buffer grows to hold the longest record,
	// so an endless one (a 500 MB line, a gzip bomb) is refused instead.
	max int
}

func (s *splitter) buffer(need int) []byte {
	select {
	case b := <-s.free:
		if cap(b) >= need {
			return b[:0]
		}
	default:
	}
	return make([]byte, 0, need)
}

// run cuts chunks until EOF, a read error or stop. Each chunk's result
// channel goes to order before the chunk goes to a worker, so that Next
// receives results in file order.
func (s *splitter) run(stop <-chan struct{}, jobs chan<- chunkJob, order chan<- chan chunkResult) {
	send := func(j chunkJob) bool {
		j.out = make(chan chunkResult, 1)
		select {
		case order <- j.out:
		case <-stop:
			return false
		}
		select {
		case jobs <- j:
			return true
		case <-stop:
			return false
		}
	}
	buf := s.buffer(s.size + s.size/4)
	target := s.size
	for {
		var rerr error
		for len(buf) < target && rerr == nil {
			if len(buf) == cap(buf) {
				buf = append(buf, 0)[:len(buf)]
			}
			var n int
			n, rerr = s.src.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) {
				rerr = nil
			}
			send(chunkJob{buf: buf, line: s.line, newlines: bytes.Count(buf, []byte{'\n'}), final: true, readErr: rerr})
			return
		}
		cut := lastRecordEnd(buf)
		if cut <= 0 {
			// One record longer than the buffer: read on until it ends.
			if len(buf) > s.max {
				err := &ReadError{Line: s.line, Err: recordTooLong(int64(s.max))}
				send(chunkJob{buf: buf[:0], line: s.line, final: true, readErr: err})
				return
			}
			target = min(2*len(buf), s.max+1)
			continue
		}
		target = s.size
		next := s.buffer(max(s.size+s.size/4, len(buf)-cut+s.size))
		next = append(next, buf[cut:]...)
		nl := bytes.Count(buf[:cut], []byte{'\n'})
		if !send(chunkJob{buf: buf[:cut], line: s.line, newlines: nl}) {
			return
		}
		s.line += int64(nl)
		buf = next
	}
}

// lastRecordEnd returns the offset just after the last newline in buf that
// is outside quotes, or -1. buf starts at a record boundary. In CSV that
// encoding/csv accepts without LazyQuotes, every quote either opens or
// closes a quoted field or is half of an escaped "", so a newline is
// outside quotes exactly when an even number of quotes precede it. Input
// that breaks this has a quote error at or before the first misplaced
// quote; the chunk that holds it starts at a true boundary, so its parser
// reports that error with its true line, and the chunks after it, which
// may be cut wrongly, are never handed out.
func lastRecordEnd(buf []byte) int {
	quotes := bytes.Count(buf, []byte{'"'})
	end := len(buf)
	for {
		i := bytes.LastIndexByte(buf[:end], '\n')
		if i < 0 {
			return -1
		}
		quotes -= bytes.Count(buf[i:end], []byte{'"'})
		if quotes%2 == 0 {
			return i + 1
		}
		end = i
	}
}

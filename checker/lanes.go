package checker

import (
	"sync"
	"sync/atomic"

	"github.com/driftgate/driftgate/checker/source"
)

// The batches of a file flow through lanes. A lane is one piece of state
// the check keeps over the file (a column's observers, a composite key, an
// SLA, a tap) and the work each batch does on it. Task j of every batch
// touches only lane j's state, so lane j runs its tasks one batch after the
// other, in batch order, and the lanes run side by side with no barrier
// between them: a batch is released once its last lane is done with it,
// while the lanes that finished early are already on the next batch. Two
// cores stay busy whichever column happens to be slow on a batch, and
// decoding the next batches overlaps all of it.
//
// Because a lane sees its batches in order, and nothing but its own lane
// touches its state, the findings, counts and examples are those of
// checking the batches one by one: reports are the same under any
// scheduling.

// inFlightRows bounds the rows of the batches handed to the lanes and not
// yet released by all of them: with the default 64Ki-row batch, four
// batches, about 4 × 6 MB of decoded columns on the benchmark's 11-column
// file. Small batches get up to maxInFlight, large ones at least two (one
// being checked by the slow lanes while the fast ones start the next).
const (
	inFlightRows = 256 << 10
	minInFlight  = 2
	maxInFlight  = 8
)

// inFlight is the most batches of batchRows rows the lanes hold at once.
func inFlight(batchRows int) int {
	if batchRows <= 0 {
		batchRows = source.DefaultBatchSize
	}
	return min(max(inFlightRows/batchRows, minInFlight), maxInFlight)
}

// flight is one batch on its way through the lanes.
type flight struct {
	source.Batch
	// cells are, per column the check decodes, the cells of the batch
	// that did not parse (Batch.Invalid split by column).
	cells [][]source.CellError
	// expect, when positive, is the number of rows still to come in the
	// file, counting this batch's: key sets size themselves for it before
	// they take the batch's keys.
	expect int64

	pending atomic.Int32  // lanes not yet done with the batch
	done    chan struct{} // closed when pending reaches zero
	mu      sync.Mutex
	err     error // the first error a lane had on the batch
}

// cellsOf are the cells of column i that did not parse.
func (f *flight) cellsOf(i int) []source.CellError {
	if f.cells == nil {
		return nil
	}
	return f.cells[i]
}

// fail records a lane's error on the batch; the first one wins.
func (f *flight) fail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil {
		f.err = err
	}
}

// failure is the error a lane had on the batch, once done is closed.
func (f *flight) failure() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// lanes runs one goroutine per lane.
type lanes struct {
	in []chan *flight
	wg sync.WaitGroup
	// failed stops every lane's work once one lane failed: the file is
	// unreadable, and the batches still in flight only need releasing.
	failed atomic.Bool
}

// startLanes starts a goroutine for each task. A lane's channel holds
// depth batches, so sending the at most depth batches in flight never
// blocks.
func startLanes(tasks []func(*flight) error, depth int) *lanes {
	l := &lanes{in: make([]chan *flight, len(tasks))}
	for j, task := range tasks {
		in := make(chan *flight, depth)
		l.in[j] = in
		l.wg.Go(func() {
			for f := range in {
				if !l.failed.Load() {
					if err := runTask(task, f); err != nil {
						f.fail(err)
						l.failed.Store(true)
					}
				}
				if f.pending.Add(-1) == 0 {
					close(f.done)
				}
			}
		})
	}
	return l
}

// runTask runs one lane's task on a batch. A task that panics (data no
// check expected) fails the batch with an error, not the process: the
// caller turns it into a ReadError for the file.
func runTask(task func(*flight) error, f *flight) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = source.PanicError(p)
		}
	}()
	return task(f)
}

// send hands the batch to every lane; its done channel closes when the
// last one finishes with it (at once without lanes).
func (l *lanes) send(f *flight) {
	f.done = make(chan struct{})
	if len(l.in) == 0 {
		close(f.done)
		return
	}
	f.pending.Store(int32(len(l.in)))
	for _, in := range l.in {
		in <- f
	}
}

// stop lets the lanes finish the batches they were sent, skipping the work
// when abandon is set, and waits for every lane to end.
func (l *lanes) stop(abandon bool) {
	if abandon {
		l.failed.Store(true)
	}
	for _, in := range l.in {
		close(in)
	}
	l.wg.Wait()
}

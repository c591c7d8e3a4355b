package reporters

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
)

// brokenReporter writes part of a report and then fails, as a reporter
// whose writer breaks half way does.
type brokenReporter struct{}

var errBroken = errors.New("broken reporter")

func (brokenReporter) Report(w io.Writer, _ *report.Report) error {
	if _, err := io.WriteString(w, "<?xml half a report"); err != nil {
		return err
	}
	return errBroken
}

// entries lists a directory's names.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFile(t *testing.T) {
	r := loadReport(t, "report")

	t.Run("it writes the report, creating parent directories, and leaves nothing else", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "out", "reports", "junit.xml")
		if err := WriteFile(path, JUnit{}, r); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(render(t, JUnit{}, r)) {
			t.Error("the file is not the report")
		}
		if names := entries(t, filepath.Dir(path)); len(names) != 1 || names[0] != "junit.xml" {
			t.Errorf("directory holds %v, want only junit.xml", names)
		}
		if st, err := os.Stat(path); err != nil || st.Mode().Perm()&0o044 != 0o044 {
			t.Errorf("report is not readable by others: %v %v", st.Mode(), err)
		}
	})

	t.Run("it replaces an existing report", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "report.json")
		if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := WriteFile(path, JSON{}, r); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); string(got) != string(render(t, JSON{}, r)) {
			t.Error("the old report was not replaced")
		}
		if names := entries(t, dir); len(names) != 1 {
			t.Errorf("directory holds %v", names)
		}
	})

	t.Run("a reporter error leaves no target and no temporary file", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "junit.xml")
		err := WriteFile(path, brokenReporter{}, r)
		if !errors.Is(err, errBroken) {
			t.Fatalf("err = %v, want the reporter's error", err)
		}
		if names := entries(t, dir); len(names) != 0 {
			t.Errorf("directory holds %v, want nothing", names)
		}
	})

	t.Run("a reporter error keeps the previous report intact", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "junit.xml")
		if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := WriteFile(path, brokenReporter{}, r); err == nil {
			t.Fatal("no error")
		}
		if got, _ := os.ReadFile(path); string(got) != "previous" {
			t.Errorf("previous report became %q", got)
		}
		if names := entries(t, dir); len(names) != 1 {
			t.Errorf("directory holds %v", names)
		}
	})

	t.Run("a directory in the way is an error and leaves no temporary file", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "report.md")
		if err := os.Mkdir(path, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := WriteFile(path, Markdown{}, r); err == nil {
			t.Fatal("no error")
		}
		if names := entries(t, dir); len(names) != 1 || names[0] != "report.md" {
			t.Errorf("directory holds %v", names)
		}
	})

	t.Run("a parent that is a file is an error naming the path", func(t *testing.T) {
		dir := t.TempDir()
		blocker := filepath.Join(dir, "file")
		if err := os.WriteFile(blocker, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(blocker, "report.txt")
		err := WriteFile(path, Text{}, r)
		if err == nil {
			t.Fatal("no error")
		}
		if want := `write report "` + path + `"`; len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
			t.Errorf("err = %v, want it to start with %s", err, want)
		}
	})
}

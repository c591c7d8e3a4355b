package source

import (
	"path/filepath"
	"strings"
)

func detectFormat(path string) (Format, bool) {
	name := strings.ToLower(filepath.Base(path))
	name = strings.TrimSuffix(name, ".gz")
	switch filepath.Ext(name) {
	case ".parquet", ".parq", ".pq":
		return Parquet, !strings.HasSuffix(strings.ToLower(path), ".gz")
	case ".csv", ".tsv":
		return CSV, true
	case ".json", ".jsonl", ".ndjson":
		return JSON, true
	}
	return "", false
}

func hasGzipSuffix(path string) bool {
	return strings.HasSuffix(strings.ToLower(path), ".gz")
}

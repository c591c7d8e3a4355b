package sqlpush

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"
)

// asInt64 reads a count an engine returned: an integer of any Go type, or
// its text (a numeric or decimal an engine returns as text).
func asInt64(v any) (int64, error) {
	switch x := v.(type) {
	case nil:
		return 0, nil // sum() over no rows, where the engine has no coalesce
	case int64:
		return x, nil
	case int32:
		return int64(x), nil
	case int:
		return int64(x), nil
	case uint64:
		if x > math.MaxInt64 {
			return 0, fmt.Errorf("count %d is beyond int64", x)
		}
		return int64(x), nil
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return 0, fmt.Errorf("count %v is not an integer", x)
		}
		return int64(x), nil
	case *big.Int:
		if !x.IsInt64() {
			return 0, fmt.Errorf("count %v is beyond int64", x)
		}
		return x.Int64(), nil
	case []byte:
		return strconv.ParseInt(string(x), 10, 64)
	case string:
		return strconv.ParseInt(x, 10, 64)
	}
	return 0, fmt.Errorf("a count of Go type %T", v)
}

// asText shows a value an engine returned as an example: NULL as "".
func asText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

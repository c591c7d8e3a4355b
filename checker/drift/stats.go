package drift

import (
	"math"
	"sort"
)

// ksPValue is the asymptotic two-sample Kolmogorov-Smirnov p-value for
// statistic d with sample sizes n and m (Stephens' small-sample
// correction, as in Numerical Recipes).
func ksPValue(d float64, n, m int64) float64 {
	if d <= 0 {
		return 1
	}
	en := math.Sqrt(float64(n) * float64(m) / float64(n+m))
	lambda := (en + 0.12 + 0.11/en) * d
	return kolmogorovQ(lambda)
}

// kolmogorovQ is P(K > lambda) for the Kolmogorov distribution.
func kolmogorovQ(lambda float64) float64 {
	if lambda < 0.2 {
		return 1
	}
	sum, sign := 0.0, 1.0
	for j := 1; j <= 100; j++ {
		term := sign * 2 * math.Exp(-2*float64(j*j)*lambda*lambda)
		sum += term
		if math.Abs(term) < 1e-16*math.Abs(sum) || math.Abs(term) < 1e-300 {
			break
		}
		sign = -sign
	}
	return clamp01(sum)
}

// chiSquareSF is P(X > x) for a chi-square variable with k degrees of
// freedom: the regularized upper incomplete gamma function Q(k/2, x/2).
func chiSquareSF(x float64, k int) float64 {
	if k <= 0 || x <= 0 {
		return 1
	}
	return gammaQ(float64(k)/2, x/2)
}

// gammaQ is the regularized upper incomplete gamma function (series for
// x < a+1, continued fraction otherwise; Numerical Recipes 6.2).
func gammaQ(a, x float64) float64 {
	lg, _ := math.Lgamma(a)
	if x < a+1 {
		sum, del, ap := 1/a, 1/a, a
		for i := 0; i < 1000; i++ {
			ap++
			del *= x / ap
			sum += del
			if math.Abs(del) < math.Abs(sum)*1e-15 {
				break
			}
		}
		return clamp01(1 - sum*math.Exp(-x+a*math.Log(x)-lg))
	}
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 1000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-15 {
			break
		}
	}
	return clamp01(math.Exp(-x+a*math.Log(x)-lg) * h)
}

// chiSquareHomogeneity tests whether two count vectors over the same
// categories come from one distribution. Categories whose expected count
// is below 5 in either sample are pooled, as the test's approximation
// needs. It returns the statistic, degrees of freedom and p-value.
func chiSquareHomogeneity(a, b []float64) (stat float64, df int, p float64) {
	var na, nb float64
	for i := range a {
		na += a[i]
		nb += b[i]
	}
	if na == 0 || nb == 0 {
		return 0, 0, 1
	}
	n := na + nb
	var ra, rb []float64
	var poolA, poolB float64
	for i := range a {
		tot := a[i] + b[i]
		if tot*na/n < 5 || tot*nb/n < 5 {
			poolA += a[i]
			poolB += b[i]
			continue
		}
		ra, rb = append(ra, a[i]), append(rb, b[i])
	}
	if poolA+poolB > 0 {
		ra, rb = append(ra, poolA), append(rb, poolB)
	}
	if len(ra) < 2 {
		return 0, 0, 1
	}
	for i := range ra {
		tot := ra[i] + rb[i]
		ea, eb := tot*na/n, tot*nb/n
		if ea > 0 {
			stat += (ra[i] - ea) * (ra[i] - ea) / ea
		}
		if eb > 0 {
			stat += (rb[i] - eb) * (rb[i] - eb) / eb
		}
	}
	df = len(ra) - 1
	return stat, df, chiSquareSF(stat, df)
}

// jensenShannon is the Jensen-Shannon distance (base 2, so in [0, 1])
// between two count vectors.
func jensenShannon(a, b []float64) float64 {
	var na, nb float64
	for i := range a {
		na += a[i]
		nb += b[i]
	}
	if na == 0 || nb == 0 {
		return 0
	}
	var div float64
	for i := range a {
		p, q := a[i]/na, b[i]/nb
		m := (p + q) / 2
		if p > 0 {
			div += p * math.Log2(p/m) / 2
		}
		if q > 0 {
			div += q * math.Log2(q/m) / 2
		}
	}
	return math.Sqrt(math.Max(0, div))
}

// twoProportionP is the two-sided p-value of the z-test that two
// proportions x1/n1 and x2/n2 are equal.
func twoProportionP(x1, n1, x2, n2 int64) float64 {
	if n1 == 0 || n2 == 0 {
		return 1
	}
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	p := float64(x1+x2) / float64(n1+n2)
	se := math.Sqrt(p * (1 - p) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		if p1 == p2 {
			return 1
		}
		return 0
	}
	return clamp01(math.Erfc(math.Abs(p1-p2) / se / math.Sqrt2))
}

// benjaminiHochberg returns the adjusted p-values (q-values) of ps, in
// the same order: q_(i) = min over j >= i of p_(j) * m / j. Rejecting
// q <= alpha keeps the expected share of false discoveries at most alpha,
// and under the global null (no column drifted) the chance of any false
// alarm at most alpha.
func benjaminiHochberg(ps []float64) []float64 {
	m := len(ps)
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ps[idx[a]] < ps[idx[b]] })
	q := make([]float64, m)
	prev := 1.0
	for r := m - 1; r >= 0; r-- {
		i := idx[r]
		v := math.Min(prev, ps[i]*float64(m)/float64(r+1))
		q[i] = clamp01(v)
		prev = v
	}
	return q
}

func clamp01(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return 1
	case x < 0:
		return 0
	case x > 1:
		return 1
	}
	return x
}

//! Dense linear assignment: Jonker–Volgenant (column reduction, reduction transfer, augmenting row
//! reduction, then shortest augmenting paths), on a row-major `f64` cost matrix, minimising.
//! `maximize` wraps it for scores. Rectangular problems are solved from their smaller side
//! (transposed when rows > cols) without padding: shortest augmenting paths from a row-minimum
//! start; scores are negated as they are read, not copied. Large matrices of short decimals are
//! solved on an exact single-precision copy (`Compact`), near ties of full-precision floats are
//! settled with a checked slack (`tie_slack`), and where the processor has AVX2 the whole solver
//! runs in a build for it (`solve_avx2`). `unsafe`: unchecked indexing in the two hot loops, the
//! call into the AVX2 build, the kept huge-page buffers and the transposition into them — each
//! with its reason beside it. Beside this file: `augment.rs` (the shortest augmenting paths),
//! `memory.rs` (the compact copy, the kept buffers, the transposition) and `tests.rs`.
#![allow(unsafe_code)]

mod augment;
mod memory;
#[cfg(test)]
mod tests;

use augment::augment;
pub use memory::Matrix;
use memory::{Compact, Transposed};

/// Minimum-cost perfect assignment of a square `n × n` row-major matrix: `rowsol[i]` is the column
/// of row `i`.
// The scan loops start from the current `up` and may move it, as in the original algorithm.
pub fn lapjv(n: usize, cost: &[f64]) -> Vec<usize> {
    assert_eq!(cost.len(), n * n, "the matrix must be n × n");
    solve::<false>(n, n, cost)
}

/// With `NEG` the matrix holds scores to maximise and is read as it is: the costs are the negated
/// scores, and the column prices are kept negated too (`w = -v`), so that a reduced cost
/// `c - v = -s + w` takes two subtractions and no negation in the hot loops — bit for bit the
/// same numbers as negating the matrix first, without writing a negated copy (at n = 2000 that
/// copy cost more than a quarter of the solve).
#[inline(always)]
fn red<const NEG: bool>(x: f64, price: f64) -> f64 {
    if NEG { price - x } else { x - price }
}

/// The price `v` lowered by `delta` (in the negated representation: raised).
#[inline(always)]
fn lower<const NEG: bool>(price: &mut f64, delta: f64) {
    if NEG {
        *price += delta;
    } else {
        *price -= delta;
    }
}

/// Whether price `a` is below price `b` (`v` order).
#[inline(always)]
fn below<const NEG: bool>(a: f64, b: f64) -> bool {
    if NEG { a > b } else { a < b }
}

/// The least and second-least reduced costs of row `r` at prices `v` and their columns (the
/// first of equal values wins; `usize::MAX` when the row has fewer than two columns). The row is
/// read in groups of eight: a group none of whose values is below the current second minimum
/// (most groups, once the minima are low) is passed over after one comparison per value, which
/// the compiler does side by side (SIMD); only the other groups take the branches. `floor` is a
/// bound no reduced cost of the row is below: once two values are at it, the rest of the row
/// cannot change the answer and is not read.
#[inline(always)]
fn two_minima<const NEG: bool, T: Copy + Into<f64>>(
    r: &[T],
    v: &[f64],
    floor: f64,
) -> (f64, f64, usize, usize) {
    let mut m = (f64::INFINITY, f64::INFINITY, usize::MAX, usize::MAX);
    const GROUP: usize = 8;
    let grouped = r.len() / GROUP * GROUP;
    for ((start, rg), vg) in (0..grouped)
        .step_by(GROUP)
        .zip(r[..grouped].chunks_exact(GROUP))
        .zip(v[..grouped].chunks_exact(GROUP))
    {
        let mut any = false;
        for (&x, &p) in rg.iter().zip(vg) {
            any |= red::<NEG>(x.into(), p) < m.1;
        }
        if any {
            scan_minima::<NEG, T>(start, rg, vg, &mut m);
            if m.1 <= floor {
                return m;
            }
        }
    }
    scan_minima::<NEG, T>(grouped, &r[grouped..], &v[grouped..r.len()], &mut m);
    m
}

/// `two_minima`'s branchy part, on the columns `start..` given by `r` and `v`.
#[inline(always)]
fn scan_minima<const NEG: bool, T: Copy + Into<f64>>(
    start: usize,
    r: &[T],
    v: &[f64],
    (min, second, j1, j2): &mut (f64, f64, usize, usize),
) {
    for (k, (&x, &p)) in r.iter().zip(v).enumerate() {
        let h = red::<NEG>(x.into(), p);
        if h < *second {
            if h >= *min {
                *second = h;
                *j2 = start + k;
            } else {
                *second = *min;
                *j2 = *j1;
                *min = h;
                *j1 = start + k;
            }
        }
    }
}

/// The solver on an `n`-column row-major matrix with `rows <= n` rows given (every row is
/// assigned). `NEG`: the matrix holds scores to maximise. A large matrix of decimals is solved
/// on its compact copy (see `Compact`).
///
/// Where the processor has AVX2 (checked once, cached by the standard library) the solver is
/// compiled a second time for it — everything below is inlined into `solve_avx2` — so that the
/// screened row scans compare four values at once instead of two (questionnaire-like scores
/// n = 1000: 0.95 → 0.57 ms; floats n = 2000 36 → 31, integers 27.6 → 24.4). The arithmetic is
/// the same operations in the same order, so the results are bit for bit the same.
fn solve<const NEG: bool>(n: usize, rows: usize, cost: &[f64]) -> Vec<usize> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, checked just above.
        return unsafe { solve_avx2::<NEG>(n, rows, cost) };
    }
    solve_any::<NEG, false>(n, rows, cost)
}

/// `solve_any` compiled for processors with AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn solve_avx2<const NEG: bool>(n: usize, rows: usize, cost: &[f64]) -> Vec<usize> {
    solve_any::<NEG, true>(n, rows, cost)
}

/// `solve` for any processor; `WIDE`: compiled for four-wide vectors (AVX2).
#[inline(always)]
fn solve_any<const NEG: bool, const WIDE: bool>(n: usize, rows: usize, cost: &[f64]) -> Vec<usize> {
    if rows == n
        && n * n >= Compact::MIN_LEN
        && let Some(c) = Compact::of(cost)
    {
        return solve_in::<NEG, f32, WIDE>(n, rows, &c);
    }
    solve_in::<NEG, f64, WIDE>(n, rows, cost)
}

/// `solve` on a matrix whose elements are read as `f64`.
#[inline(always)]
#[allow(clippy::mut_range_bound, unused_assignments)]
fn solve_in<const NEG: bool, T: Copy + Into<f64>, const WIDE: bool>(
    n: usize,
    rows: usize,
    cost: &[T],
) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    const NONE: usize = usize::MAX;
    // Only real rows are ever scanned: a rectangular problem makes up no padding rows.
    let row = |i: usize| &cost[i * n..(i + 1) * n];
    let mut rowsol = vec![NONE; n];
    let mut colsol = vec![NONE; n];
    let mut v = vec![
        if NEG {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
        n
    ];
    let mut argmin = vec![0usize; n];

    let mut free = Vec::with_capacity(n);
    if rows < n {
        // A rectangular problem (fewer rows than columns): no padding rows are made up. Prices
        // start at zero and every row starts free: the augmenting row reduction gives most rows
        // their cheapest column, shortest augmenting paths the rest. Only columns that get a row
        // are repriced, so the columns left unassigned keep the highest price (zero), which is
        // what makes the rows' assignment optimal — the square case's column reduction would
        // instead meet a block of equal zero costs (the padding) and spin on its ties
        // (2000 × 1000: 669 → 16 ms; without the column reduction, 3 ms).
        v.fill(0.0);
        free.extend(0..rows);
    } else {
        // Column reduction, scanning rows (cache-friendly): v[j] = min_i cost[i][j].
        for i in 0..n {
            for (j, &x) in row(i).iter().enumerate() {
                let x: f64 = x.into();
                if below::<NEG>(x, v[j]) {
                    v[j] = x;
                    argmin[j] = i;
                }
            }
        }
        let mut matches = vec![0u32; n];
        for j in (0..n).rev() {
            let imin = argmin[j];
            matches[imin] += 1;
            if matches[imin] == 1 {
                rowsol[imin] = j;
                colsol[j] = imin;
            } else if below::<NEG>(v[j], v[rowsol[imin]]) {
                let j1 = rowsol[imin];
                rowsol[imin] = j;
                colsol[j] = imin;
                colsol[j1] = NONE;
            } else {
                colsol[j] = NONE;
            }
        }

        // Reduction transfer.
        for i in 0..n {
            if matches[i] == 0 {
                free.push(i);
            } else if matches[i] == 1 {
                let j1 = rowsol[i];
                let r = row(i);
                let mut min = f64::INFINITY;
                for j in 0..n {
                    if j != j1 {
                        let h = red::<NEG>(r[j].into(), v[j]);
                        if h < min {
                            min = h;
                        }
                    }
                }
                if min.is_finite() {
                    lower::<NEG>(&mut v[j1], min);
                }
            }
        }
    }

    // Augmenting row reduction, twice — for a rectangular problem too: it lowers only the prices
    // of the columns it assigns, so the columns left free keep the highest price.
    let mut numfree = free.len();
    // In a square problem prices start at the column minima and only come down, so no reduced cost
    // is below zero: a row with two zeros (with few distinct scores, most rows, early on) is read
    // no further (integers 0–9, n = 2000: 3.8 → 3.0 ms in all; scores in quarters 4.25 → 3.5).
    // A rectangular one starts from zero prices, where reduced costs are the costs themselves.
    let floor = if rows < n { f64::NEG_INFINITY } else { 0.0 };
    // A row that takes a column lowers its price and is processed again at once when it displaced
    // another (`k -= 1`); on values close together (floats rounded to 6 decimals) such exchanges
    // lower prices by tiny steps again and again. So the pass may spend at most `BUDGET` steps per
    // position reached in its list; past that, rows take their cheapest column without lowering
    // it and a displaced row waits for the next pass or for augmentation (measured, n = 2000:
    // rounded floats 80 → 49 ms, full floats 46 → 42, against a bound on the whole pass).
    const BUDGET: usize = 20;
    let slack = tie_slack(n, rows, cost);
    // Rows that took their second-least column within `slack` of their least (checked below).
    let mut loose = Vec::new();
    for _ in 0..2 {
        let prvnumfree = numfree;
        numfree = 0;
        let mut k = 0;
        let mut steps = 0usize;
        while k < prvnumfree {
            let i = free[k];
            k += 1;
            steps += 1;
            let reduce = steps < k * BUDGET;
            let r = row(i);
            let (umin, usubmin, mut j1, mut j2) = two_minima::<NEG, T>(r, &v, floor);
            if umin == usubmin && colsol[j1] != NONE {
                // Equal minima (ties): a free column at the minimum settles the row without
                // displacing another (with few distinct scores most rows have one).
                // (Found by an early-stopping scan: the row's free columns are many then.)
                if let Some(j) =
                    (0..n).find(|&j| colsol[j] == NONE && red::<NEG>(r[j].into(), v[j]) == umin)
                {
                    j1 = j;
                    j2 = j;
                }
            }
            let mut i0 = colsol[j1];
            let lowers = reduce && usubmin - umin > slack;
            if lowers {
                lower::<NEG>(&mut v[j1], usubmin - umin);
            } else if reduce && i0 != NONE {
                if usubmin > umin {
                    loose.push(i);
                }
                j1 = j2;
                i0 = colsol[j2];
            }
            rowsol[i] = j1;
            colsol[j1] = i;
            if i0 != NONE {
                rowsol[i0] = NONE;
                if lowers {
                    k -= 1;
                    free[k] = i0;
                } else {
                    free[numfree] = i0;
                    numfree += 1;
                }
            }
        }
    }

    // A row that took its second-least column within `slack` of its least may be off its least
    // column by up to the slack (prices only come down, so its other reduced costs only rise and
    // it can only have come closer since). Each such row is checked exactly against its row's
    // minimum, and one still off is freed: the augmentation needs every assigned row at its least
    // reduced cost.
    free.truncate(numfree);
    for &i in &loose {
        let j = rowsol[i];
        let r = row(i);
        if j != NONE
            && red::<NEG>(r[j].into(), v[j]) > two_minima::<NEG, T>(r, &v, f64::NEG_INFINITY).0
        {
            rowsol[i] = NONE;
            colsol[j] = NONE;
            free.push(i);
            #[cfg(test)]
            tests::LOOSE_FREED.with(|c| c.set(c.get() + 1));
        }
    }

    // Augmentation: a shortest path from each remaining free row (see `augment` on `AHEAD`).
    if WIDE || std::mem::size_of::<T>() < 8 || std::mem::size_of_val(cost) > 16 << 20 {
        augment::<NEG, T, true>(n, cost, &free, &mut v, &mut rowsol, &mut colsol);
    } else {
        augment::<NEG, T, false>(n, cost, &free, &mut v, &mut rowsol, &mut colsol);
    }
    rowsol
}

/// The difference of a row's two least reduced costs below which the augmenting row reduction
/// takes them as equal. On full-precision floats the reduction otherwise goes on exchanging rows
/// over differences of a last few bits, lowering prices by such steps again and again (what a
/// single-precision solver never sees: there they round to ties); taken as ties, the row takes
/// its second column and the displaced row waits for the next pass. A row assigned so may be off
/// its least column by at most the slack and is checked after the reduction; the optimum is exact.
/// The slack is a fraction of the typical gap between neighbouring values, `spread / (2 n²)`
/// (uniform floats, measured: n = 1500 20.7 → 18.3 ms, 2000 45–48 → 40, 3000 123 → 99; at
/// n ≤ 1000 within the noise). Zero for a compact copy (its values are integers: its ties are
/// real) and for a rectangular problem, where a freed row would leave a repriced column free.
fn tie_slack<T: Copy + Into<f64>>(n: usize, rows: usize, cost: &[T]) -> f64 {
    if rows < n || std::mem::size_of::<T>() < 8 {
        return 0.0;
    }
    // The spread of the first values read (at most 4096): a guess, which decides speed only.
    let (lo, hi) = cost[..cost.len().min(4096)].iter().fold(
        (f64::INFINITY, f64::NEG_INFINITY),
        |(lo, hi), &x| {
            let x: f64 = x.into();
            (lo.min(x), hi.max(x))
        },
    );
    let slack = (hi - lo) / (2.0 * (n * n) as f64);
    if slack.is_finite() { slack } else { 0.0 }
}

/// Maximum-score assignment of a `rows × cols` row-major score matrix: every row or every column
/// is assigned, whichever is fewer. Returns the (row, col) pairs sorted by row.
pub fn maximize(rows: usize, cols: usize, scores: &[f64]) -> Vec<(usize, usize)> {
    assert_eq!(scores.len(), rows * cols);
    if rows == 0 || cols == 0 {
        return Vec::new();
    }
    if rows > cols {
        // Transpose: columns become rows (the solver scans rows), in tiles that stay in cache.
        let t = Transposed::new(rows, cols, scores);
        let mut pairs: Vec<(usize, usize)> = maximize(cols, rows, &t)
            .into_iter()
            .map(|(c, r)| (r, c))
            .collect();
        pairs.sort_unstable();
        return pairs;
    }
    // rows <= cols: maximise in place, the missing rows are zero padding.
    let sol = solve::<true>(cols, rows, scores);
    (0..rows).map(|i| (i, sol[i])).collect()
}

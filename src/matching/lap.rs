//! Dense linear assignment: Jonker–Volgenant (column reduction, reduction transfer, augmenting row
//! reduction, then shortest augmenting paths), on a row-major `f64` cost matrix, minimising.
//! `maximize` wraps it for scores. Rectangular problems are solved from their smaller side
//! (transposed when rows > cols) without padding: shortest augmenting paths from a row-minimum
//! start; scores are negated as they are read, not copied. Large matrices of short decimals are
//! solved on an exact single-precision copy (`Compact`), near ties of full-precision floats are
//! settled with a checked slack (`tie_slack`), and where the processor has AVX2 the whole solver
//! runs in a build for it (`solve_avx2`). `unsafe`: unchecked indexing in the two hot loops, the
//! call into the AVX2 build, the kept huge-page buffers and the transposition into them — each
//! with its reason beside it.
#![allow(unsafe_code)]

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

/// Shortest augmenting paths from the rows `free`, on the row-major `n`-column matrix `cost`
/// (elements read as `f64`), from the prices `v` and the partial assignment left by the row
/// reduction.
#[inline(always)]
#[allow(clippy::mut_range_bound, unused_assignments)]
fn augment<const NEG: bool, T: Copy + Into<f64>, const AHEAD: bool>(
    n: usize,
    cost: &[T],
    free: &[usize],
    v: &mut [f64],
    rowsol: &mut [usize],
    colsol: &mut [usize],
) {
    const NONE: usize = usize::MAX;
    let row = |i: usize| &cost[i * n..(i + 1) * n];
    let mut d = vec![0f64; n];
    // Row and column numbers in the search's own arrays are `u32`: half the bytes to hold in the
    // first-level cache next to the distances (3–10 % faster on every kind of matrix measured).
    assert!(u32::try_from(n).is_ok(), "more than 2^32 columns");
    let mut pred = vec![0u32; n];
    let mut collist: Vec<u32> = (0..n as u32).collect();
    // The scanned row's reduced costs are read in column-list order, scattered. With `AHEAD` —
    // from a compact (`f32`) copy, from an `f64` matrix larger than 16 MB (beyond this machine's
    // 32 MB last cache with everything else), or in the AVX2 build at any size — they are first
    // worked out in one sequential pass, which the compiler vectorises and the prefetcher follows,
    // instead of fetching the row and the prices in scattered order (uniform floats n = 2000:
    // 45–49 → 36–38 ms, n = 3000: 100 → 84). In the AVX2 build, four values a step, the pass pays
    // at n = 1000 too (integers 4.35 → 3.97 ms, rounded to 2 places 4.36 → 3.97, floats 4.25 →
    // 3.96; at n ≤ 600 neutral); two a step, it cost 5–10 % there. A constant, so that the hot
    // loop carries no test for it.
    let ahead = AHEAD;
    let mut reduced = vec![0f64; n];
    for &freerow in free {
        let r = row(freerow);
        for j in 0..n {
            d[j] = red::<NEG>(r[j].into(), v[j]);
            pred[j] = freerow as u32;
            collist[j] = j as u32;
        }
        let mut low = 0usize;
        let mut up = 0usize;
        let mut last = 0usize; // columns collist[..last] are ready
        let mut min = 0f64;
        let endofpath;
        'search: loop {
            if up == low {
                last = low;
                min = d[collist[up] as usize];
                up += 1;
                for k in up..n {
                    // SAFETY: as in the scan below: a permutation of 0..n indexing length-n arrays.
                    let (j, h) = unsafe {
                        let j = *collist.get_unchecked(k);
                        (j, *d.get_unchecked(j as usize))
                    };
                    if h <= min {
                        if h < min {
                            up = low;
                            min = h;
                        }
                        collist[k] = collist[up];
                        collist[up] = j;
                        up += 1;
                    }
                }
                for k in low..up {
                    if colsol[collist[k] as usize] == NONE {
                        endofpath = collist[k] as usize;
                        break 'search;
                    }
                }
            }
            let j1 = collist[low] as usize;
            low += 1;
            let i = colsol[j1];
            let ri = row(i);
            if ahead {
                for ((t, &x), &p) in reduced.iter_mut().zip(ri).zip(v.iter()) {
                    *t = red::<NEG>(x.into(), p);
                }
            }
            let h = red::<NEG>(ri[j1].into(), v[j1]) - min;
            for k in up..n {
                // SAFETY: `collist` is a permutation of 0..n and `ri`, `v`, `d`, `reduced` have
                // length n; this scan is the hot loop of the solver, so the bounds checks are
                // skipped.
                let (j, v2) = unsafe {
                    let j = *collist.get_unchecked(k) as usize;
                    let r = if ahead {
                        *reduced.get_unchecked(j)
                    } else {
                        red::<NEG>((*ri.get_unchecked(j)).into(), *v.get_unchecked(j))
                    };
                    (j, r - h)
                };
                if v2 < unsafe { *d.get_unchecked(j) } {
                    // SAFETY: as above, `j < n` and `pred`, `d`, `colsol` have length n.
                    unsafe {
                        *pred.get_unchecked_mut(j) = i as u32;
                        *d.get_unchecked_mut(j) = v2;
                    }
                    if v2 == min {
                        if unsafe { *colsol.get_unchecked(j) } == NONE {
                            endofpath = j;
                            // Columns scanned so far are ready.
                            last = low;
                            break 'search;
                        }
                        collist[k] = collist[up];
                        collist[up] = j as u32;
                        up += 1;
                    }
                }
            }
        }
        // Price update of the ready columns.
        for &j in &collist[..last.max(low.min(n))] {
            let j = j as usize;
            lower::<NEG>(&mut v[j], min - d[j]);
        }
        // Flip the alternating path.
        let mut end = endofpath;
        loop {
            let i = pred[end] as usize;
            colsol[end] = i;
            std::mem::swap(&mut end, &mut rowsol[i]);
            if i == freerow {
                break;
            }
        }
    }
}

/// A copy of a large matrix in single precision, made when every value is a decimal with few
/// places: `k / 10^d` for an integer `|k| < 2^24` and `d ≤ 6` (integers, questionnaire scores in
/// quarters or tenths, floats rounded to a few places). The copy holds the integers `k`, exact in
/// `f32`, and the solver goes on in units of `10^-d`, where every sum and difference of prices
/// is an integer exact in `f64` — so the solver works on the decimals themselves, where equal
/// sums are equal, from a matrix half the size: at n = 2000 (32 MB in `f64`, as large as this
/// machine's last cache) the shortest paths spend most of their time fetching rows, and the copy
/// fits (integers 33 → 28 ms, floats rounded to 6 places 50 → 29).
struct Compact {
    buf: Vec<f32>,
    len: usize,
}

thread_local! {
    /// The last copy's memory, kept for the next one on this thread (as `SPARE`).
    static COMPACT_SPARE: std::cell::Cell<Vec<f32>> = const { std::cell::Cell::new(Vec::new()) };
}

impl Compact {
    /// Decimals (`d > 0`) are copied from this many elements: in `f64` their sums and differences
    /// are inexact, and prices that should tie differ in the last bit, which sends the row
    /// reduction after tiny decrements (floats rounded to 6 places, n = 1000: 8.5 → 5.7 ms).
    const MIN_LEN: usize = 1 << 19;
    /// Integers are exact in `f64` already: they are copied only for the smaller matrix, from
    /// 16 MB in `f64` (at n = 1000 the copy cost more than it saved: 5.9 → 7.2 ms).
    const MIN_LEN_INTEGERS: usize = 1 << 21;
    /// `round(y)` for `|y| < 2^51` by two additions (the compiler does these side by side; the
    /// library `round` is a call per value on baseline x86-64).
    const MAGIC: f64 = 6_755_399_441_055_744.0;
    const LIMIT: f64 = 16_777_216.0;
    /// Distinct values among the first 1024 below which the matrix is left as it is.
    const FEW_VALUES: usize = 128;

    /// `y` rounded to an integer, and whether `y` is one (up to the rounding of the scaling) that
    /// `f32` holds exactly.
    #[inline(always)]
    fn units(y: f64) -> (f64, bool) {
        let k = (y + Self::MAGIC) - Self::MAGIC;
        (k, (y - k).abs() <= 1e-6 && k.abs() < Self::LIMIT)
    }

    /// The copy of `m` in units of `10^-d`, or `None` when `m` is not such a matrix — or has few
    /// distinct values: then (questionnaire scores, integers 0–9) the row reduction settles
    /// nearly every row and the copy would cost more than the paths it speeds up.
    #[inline(always)]
    fn of(m: &[f64]) -> Option<Self> {
        let mut sample = m[..m.len().min(1024)].to_vec();
        let scale = (0..=6)
            .map(|d| 10f64.powi(d))
            .find(|&s| sample.iter().all(|&x| Self::units(x * s).1))?;
        if scale == 1.0 && m.len() < Self::MIN_LEN_INTEGERS {
            return None;
        }
        sample.sort_unstable_by(f64::total_cmp);
        sample.dedup();
        if sample.len() <= Self::FEW_VALUES {
            return None;
        }
        let mut buf = COMPACT_SPARE.with(|c| c.take());
        if buf.len() < m.len() {
            buf.resize(m.len(), 0.0);
        }
        const CHUNK: usize = 4096;
        for (src, dst) in m.chunks(CHUNK).zip(buf.chunks_mut(CHUNK)) {
            let mut ok = true;
            for (&x, out) in src.iter().zip(dst.iter_mut()) {
                let (k, exact) = Self::units(x * scale);
                ok &= exact;
                *out = k as f32;
            }
            if !ok {
                COMPACT_SPARE.with(|c| c.set(buf));
                return None;
            }
        }
        Some(Compact { buf, len: m.len() })
    }
}

impl std::ops::Deref for Compact {
    type Target = [f32];
    fn deref(&self) -> &[f32] {
        &self.buf[..self.len]
    }
}

impl Drop for Compact {
    fn drop(&mut self) {
        if self.buf.len() * 4 <= KEPT_BYTES {
            COMPACT_SPARE.with(|c| c.set(std::mem::take(&mut self.buf)));
        }
    }
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

/// Memory for a matrix, aligned to 2 MB and asked of the kernel as huge pages where it gives them
/// (`madvise`) when it is large: a fresh 16 MB copy in 4 KB pages cost 3,900 page faults, more
/// than the whole solve of a 2000 × 1000 matrix (10 of 14 ms on this machine).
struct Buffer {
    ptr: *mut f64,
    layout: std::alloc::Layout,
}

impl Buffer {
    const HUGE: usize = 2 << 20;

    fn new(len: usize) -> Self {
        // Small buffers stay in ordinary pages (a huge page would zero 2 MB for them).
        let align = if len * 8 >= 2 * Self::HUGE {
            Self::HUGE
        } else {
            64
        };
        let layout = std::alloc::Layout::from_size_align(len.max(1) * 8, align)
            .expect("a matrix that fits in memory");
        // SAFETY: `layout` has a non-zero size; `Drop` frees the memory with the same layout.
        let ptr = unsafe { std::alloc::alloc(layout) } as *mut f64;
        if ptr.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        #[cfg(target_os = "linux")]
        if align == Self::HUGE {
            // SAFETY: the range is the allocation just made, aligned to 2 MB; a refusal is
            // harmless.
            unsafe {
                libc::madvise(ptr.cast(), layout.size(), libc::MADV_HUGEPAGE);
            }
        }
        Buffer { ptr, layout }
    }

    fn capacity(&self) -> usize {
        self.layout.size() / 8
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with this layout.
        unsafe { std::alloc::dealloc(self.ptr.cast(), self.layout) }
    }
}

thread_local! {
    /// The last transposition's memory, kept for the next one on the same thread (up to
    /// `KEPT_BYTES`): new memory costs a page fault per page on first touch, which took as long
    /// as the copy itself (a server solves one matrix after another; so do the benchmarks).
    static SPARE: std::cell::Cell<Option<Buffer>> = const { std::cell::Cell::new(None) };
}

/// A copy of a large matrix in memory asked of the kernel as huge pages (as numpy gives its large
/// arrays): the solver's scans then miss the address translation cache less often (integers at
/// n = 2000: 41 → 36 ms on this machine, floats 5 % less). For callers that build big matrices,
/// and for the benchmark, whose peers get their matrices from numpy.
pub struct Matrix {
    buf: Buffer,
    len: usize,
}

impl Matrix {
    pub fn copy_of(m: &[f64]) -> Self {
        let buf = Buffer::new(m.len());
        // SAFETY: the buffer holds at least `m.len()` elements and does not overlap `m`.
        unsafe { std::ptr::copy_nonoverlapping(m.as_ptr(), buf.ptr, m.len()) };
        Matrix { buf, len: m.len() }
    }
}

impl std::ops::Deref for Matrix {
    type Target = [f64];
    fn deref(&self) -> &[f64] {
        // SAFETY: `len` elements, all written in `copy_of`.
        unsafe { std::slice::from_raw_parts(self.buf.ptr, self.len) }
    }
}

/// The largest transposition memory kept for reuse (a 2000 × 2000 matrix).
const KEPT_BYTES: usize = 32 << 20;

/// The transpose of a `rows × cols` row-major matrix.
struct Transposed {
    buf: Option<Buffer>,
    len: usize,
}

impl Transposed {
    fn new(rows: usize, cols: usize, m: &[f64]) -> Self {
        let len = rows * cols;
        let buf = match SPARE.with(|s| s.take()) {
            Some(b) if b.capacity() >= len => b,
            _ => Buffer::new(len),
        };
        let ptr = buf.ptr;
        const TILE: usize = 32;
        for i0 in (0..rows).step_by(TILE) {
            let i1 = (i0 + TILE).min(rows);
            for j0 in (0..cols).step_by(TILE) {
                for j in j0..(j0 + TILE).min(cols) {
                    for i in i0..i1 {
                        // SAFETY: `i < rows`, `j < cols`: `i * cols + j < len = m.len()` and
                        // `j * rows + i < len <= capacity`.
                        unsafe { ptr.add(j * rows + i).write(*m.get_unchecked(i * cols + j)) };
                    }
                }
            }
        }
        Transposed {
            buf: Some(buf),
            len,
        }
    }
}

impl std::ops::Deref for Transposed {
    type Target = [f64];
    fn deref(&self) -> &[f64] {
        let buf = self.buf.as_ref().expect("present until dropped");
        // SAFETY: `len` elements, all written in `new`, within the buffer's capacity.
        unsafe { std::slice::from_raw_parts(buf.ptr, self.len) }
    }
}

impl Drop for Transposed {
    fn drop(&mut self) {
        if let Some(buf) = self.buf.take()
            && buf.layout.size() <= KEPT_BYTES
        {
            SPARE.with(|s| s.set(Some(buf)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(rows: usize, cols: usize, s: &[f64]) -> f64 {
        // Best total over all injective maps of the smaller side.
        fn go(
            i: usize,
            rows: usize,
            cols: usize,
            s: &[f64],
            used: &mut Vec<bool>,
            transposed: bool,
        ) -> f64 {
            let (r, c) = if transposed {
                (cols, rows)
            } else {
                (rows, cols)
            };
            if i == r {
                return 0.0;
            }
            let mut best = f64::NEG_INFINITY;
            for j in 0..c {
                if !used[j] {
                    used[j] = true;
                    let v = if transposed {
                        s[j * cols + i]
                    } else {
                        s[i * cols + j]
                    };
                    best = best.max(v + go(i + 1, rows, cols, s, used, transposed));
                    used[j] = false;
                }
            }
            best
        }
        let transposed = rows > cols;
        let c = if transposed { rows } else { cols };
        go(0, rows, cols, s, &mut vec![false; c], transposed)
    }

    fn rng(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn optimal_against_brute_force_square_and_rectangular() {
        let mut seed = 0x9E3779B97F4A7C15u64;
        for trial in 0..300 {
            let rows = 1 + (rng(&mut seed) % 6) as usize;
            let cols = 1 + (rng(&mut seed) % 6) as usize;
            let ints = trial % 2 == 0;
            let s: Vec<f64> = (0..rows * cols)
                .map(|_| {
                    if ints {
                        (rng(&mut seed) % 10) as f64
                    } else {
                        (rng(&mut seed) % 10_000) as f64 / 997.0
                    }
                })
                .collect();
            let pairs = maximize(rows, cols, &s);
            assert_eq!(pairs.len(), rows.min(cols));
            let mut seen_r = std::collections::HashSet::new();
            let mut seen_c = std::collections::HashSet::new();
            for (r, c) in &pairs {
                assert!(seen_r.insert(*r) && seen_c.insert(*c), "one-to-one");
            }
            let total: f64 = pairs.iter().map(|(r, c)| s[r * cols + c]).sum();
            let best = brute(rows, cols, &s);
            assert!(
                (total - best).abs() < 1e-9,
                "trial {trial}: {total} vs {best} ({rows}×{cols})"
            );
        }
    }

    /// The total of `maximize` against the square solver on the matrix padded by hand with zero
    /// rows or columns (the way rectangular problems were solved before), on matrices full of
    /// ties (scores from a small set, as questionnaire scores are) and of rounded floats.
    #[test]
    fn rectangular_with_ties_equals_the_padded_square() {
        let mut seed = 0x2545F4914F6CDD1Du64;
        for trial in 0..60 {
            let rows = 5 + (rng(&mut seed) % 60) as usize;
            let cols = 5 + (rng(&mut seed) % 60) as usize;
            let levels = [2u64, 3, 10, 1000][trial % 4];
            let s: Vec<f64> = (0..rows * cols)
                .map(|_| (rng(&mut seed) % levels) as f64 / 4.0)
                .collect();
            let n = rows.max(cols);
            let mut square = vec![0f64; n * n];
            for i in 0..rows {
                for j in 0..cols {
                    square[i * n + j] = -s[i * cols + j];
                }
            }
            let sol = lapjv(n, &square);
            let best: f64 = (0..n).map(|i| -square[i * n + sol[i]]).sum();
            let pairs = maximize(rows, cols, &s);
            assert_eq!(pairs.len(), rows.min(cols));
            let mut seen = std::collections::HashSet::new();
            for (r, c) in &pairs {
                assert!(*r < rows && *c < cols && seen.insert(*c), "one-to-one");
            }
            let total: f64 = pairs.iter().map(|(r, c)| s[r * cols + c]).sum();
            assert!(
                (total - best).abs() < 1e-9,
                "trial {trial}: {total} vs {best} ({rows}×{cols}, {levels} levels)"
            );
        }
    }

    /// The textbook O(n²·m) Hungarian method with potentials (rows ≤ cols, minimising): the
    /// reference for matrices too large for brute force.
    fn hungarian(rows: usize, cols: usize, c: &[f64]) -> f64 {
        let (mut u, mut v) = (vec![0f64; rows + 1], vec![0f64; cols + 1]);
        let (mut p, mut way) = (vec![0usize; cols + 1], vec![0usize; cols + 1]);
        for i in 1..=rows {
            p[0] = i;
            let mut j0 = 0;
            let mut minv = vec![f64::INFINITY; cols + 1];
            let mut used = vec![false; cols + 1];
            loop {
                used[j0] = true;
                let (i0, mut delta, mut j1) = (p[j0], f64::INFINITY, 0);
                for j in 1..=cols {
                    if !used[j] {
                        let cur = c[(i0 - 1) * cols + j - 1] - u[i0] - v[j];
                        if cur < minv[j] {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if minv[j] < delta {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for j in 0..=cols {
                    if used[j] {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
                if p[j0] == 0 {
                    break;
                }
            }
            loop {
                let j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
                if j0 == 0 {
                    break;
                }
            }
        }
        (1..=cols)
            .filter(|&j| p[j] != 0)
            .map(|j| c[(p[j] - 1) * cols + j - 1])
            .sum()
    }

    /// Square and rectangular matrices up to 80 × 80 full of ties (2, 3, 10 or 21 levels, the
    /// last as questionnaire scores in quarters) and of rounded floats: the totals equal the
    /// Hungarian method's.
    #[test]
    fn matrices_full_of_ties_equal_the_hungarian_method() {
        let mut seed = 0xD1B54A32D192ED03u64;
        for trial in 0..120 {
            let rows = 1 + (rng(&mut seed) % 80) as usize;
            let cols = if trial % 3 == 0 {
                rows
            } else {
                1 + (rng(&mut seed) % 80) as usize
            };
            let levels = [2u64, 3, 10, 21, 100][trial % 5];
            let s: Vec<f64> = (0..rows * cols)
                .map(|_| (rng(&mut seed) % levels) as f64 / 4.0)
                .collect();
            let pairs = maximize(rows, cols, &s);
            let total: f64 = pairs.iter().map(|(r, c)| s[r * cols + c]).sum();
            let (r, c) = (rows.min(cols), rows.max(cols));
            let neg: Vec<f64> = if rows <= cols {
                s.iter().map(|x| -x).collect()
            } else {
                (0..r * c).map(|k| -s[(k % c) * cols + k / c]).collect()
            };
            let best = -hungarian(r, c, &neg);
            assert_eq!(pairs.len(), r);
            assert!(
                (total - best).abs() < 1e-9,
                "trial {trial}: {total} vs {best} ({rows}×{cols}, {levels} levels)"
            );
        }
    }

    /// The solver compiled for AVX2 (taken where the processor has it, as on the machines the
    /// tests run on) and for any processor give the very same assignment: square and wide, floats
    /// and ties, and a large decimal matrix (solved compact).
    #[test]
    fn the_avx2_build_and_the_generic_one_agree() {
        let mut seed = 0x9E3779B97F4A7C15u64;
        let mut cases: Vec<(usize, usize, Vec<f64>)> = Vec::new();
        for trial in 0..40 {
            let rows = 1 + (rng(&mut seed) % 120) as usize;
            let cols = rows
                + if trial % 2 == 0 {
                    0
                } else {
                    (rng(&mut seed) % 50) as usize
                };
            let levels = [0u64, 5, 1000][trial % 3];
            let s = (0..rows * cols)
                .map(|_| match levels {
                    0 => (rng(&mut seed) % 1_000_000_007) as f64 / 1e9 + 1e-13,
                    l => (rng(&mut seed) % l) as f64,
                })
                .collect();
            cases.push((rows, cols, s));
        }
        let n = 800;
        cases.push((
            n,
            n,
            (0..n * n)
                .map(|_| (rng(&mut seed) % 100_000) as f64 / 1e3)
                .collect(),
        ));
        for (k, (rows, cols, s)) in cases.iter().enumerate() {
            let any = solve_any::<true, false>(*cols, *rows, s);
            assert_eq!(
                solve::<true>(*cols, *rows, s),
                any,
                "case {k} ({rows}×{cols})"
            );
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor has AVX2, checked just above.
                let avx = unsafe { solve_avx2::<true>(*cols, *rows, s) };
                assert_eq!(avx, any, "case {k} ({rows}×{cols})");
            }
        }
    }

    thread_local! {
        /// Rows freed by the check after the row reduction's slack (see `tie_slack`).
        pub(super) static LOOSE_FREED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Square matrices of full-precision values in near ties (a few levels plus differences far
    /// below the row reduction's slack): rows assigned within the slack and freed by the check
    /// must still give the optimum, here against the textbook Hungarian method.
    #[test]
    fn near_ties_within_the_row_reductions_slack_give_the_optimum() {
        let mut seed = 0x2545F4914F6CDD1Du64;
        LOOSE_FREED.with(|c| c.set(0));
        for trial in 0..150 {
            let n = 2 + (rng(&mut seed) % 70) as usize;
            let levels = [1u64, 2, 3, 5][trial % 4];
            let tiny = [1e-9, 1e-12, 3e-7][trial % 3];
            let c: Vec<f64> = (0..n * n)
                .map(|_| (rng(&mut seed) % levels) as f64 + (rng(&mut seed) % 1000) as f64 * tiny)
                .collect();
            let rowsol = lapjv(n, &c);
            let total: f64 = (0..n).map(|i| c[i * n + rowsol[i]]).sum();
            let mut cols = rowsol.clone();
            cols.sort_unstable();
            assert!(
                cols.iter().enumerate().all(|(k, &j)| k == j),
                "trial {trial}: not a permutation"
            );
            let best = hungarian(n, n, &c);
            assert!(
                (total - best).abs() <= 1e-13 * n as f64,
                "trial {trial}: {total} vs {best} (n = {n}, {levels} levels, steps of {tiny})"
            );
        }
        let freed = LOOSE_FREED.with(|c| c.get());
        assert!(
            freed > 0,
            "no row was assigned within the slack and freed: the check is untested"
        );
    }

    /// Tall matrices one after another on one thread, the later ones smaller and then larger
    /// than the transposition memory kept from the one before, with ties and without.
    #[test]
    fn tall_matrices_in_a_row_reuse_the_transposition_memory_safely() {
        let mut seed = 0x5851F42D4C957F2Du64;
        for (rows, cols, levels) in [(120, 70, 1000), (30, 7, 3), (120, 70, 10), (200, 150, 21)] {
            let s: Vec<f64> = (0..rows * cols)
                .map(|_| (rng(&mut seed) % levels) as f64 / 4.0)
                .collect();
            let pairs = maximize(rows, cols, &s);
            assert_eq!(pairs.len(), cols);
            assert!(pairs.windows(2).all(|w| w[0].0 < w[1].0), "sorted by row");
            let total: f64 = pairs.iter().map(|(r, c)| s[r * cols + c]).sum();
            let neg: Vec<f64> = (0..rows * cols)
                .map(|k| -s[(k % rows) * cols + k / rows])
                .collect();
            let best = -hungarian(cols, rows, &neg);
            assert!(
                (total - best).abs() < 1e-9,
                "{rows}×{cols}: {total} vs {best}"
            );
        }
    }

    /// A large matrix of decimals is solved on its compact copy, to the same total as in `f64`;
    /// a matrix with one value that is not such a decimal, or with few distinct values, is not
    /// copied.
    #[test]
    fn large_decimal_matrices_solved_compact_give_the_same_totals() {
        let n = 1450; // n² ≥ Compact::MIN_LEN_INTEGERS
        let mut seed = 0x9FB21C651E98DF25u64;
        for places in [0, 2, 3] {
            let scale = 10f64.powi(places);
            let s: Vec<f64> = (0..n * n)
                .map(|_| (rng(&mut seed) % 100_000) as f64 / scale)
                .collect();
            let c = Compact::of(&s).expect("a matrix of decimals is copied");
            assert_eq!(c[7], (s[7] * scale).round() as f32);
            drop(c);
            let compact = maximize(n, n, &s);
            let total: f64 = compact.iter().map(|(r, c)| s[r * n + c]).sum();
            let sol = solve_in::<true, f64, false>(n, n, &s);
            let plain: f64 = (0..n).map(|i| s[i * n + sol[i]]).sum();
            assert!(
                (total - plain).abs() < 1e-9 * plain.abs(),
                "{places} places: {total} vs {plain}"
            );
        }
        let mut s: Vec<f64> = (0..n * n).map(|k| (k % 1000) as f64).collect();
        s[n * n - 1] = 0.1234567891;
        assert!(Compact::of(&s).is_none(), "one value not a short decimal");
        let few: Vec<f64> = (0..n * n).map(|k| (k % 21) as f64 / 4.0).collect();
        assert!(Compact::of(&few).is_none(), "few distinct values");
    }

    #[test]
    fn ties_and_degenerate_matrices() {
        assert_eq!(maximize(3, 3, &[1.0; 9]).len(), 3);
        let z = vec![0.0; 16];
        assert_eq!(maximize(4, 4, &z).len(), 4);
        assert_eq!(maximize(0, 3, &[]), vec![]);
        // Deterministic.
        let s: Vec<f64> = (0..25).map(|k| ((k * 7) % 5) as f64).collect();
        assert_eq!(maximize(5, 5, &s), maximize(5, 5, &s));
    }
}

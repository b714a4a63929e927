//! The shortest augmenting paths of the dense solver (Jonker–Volgenant's last phase): a Dijkstra
//! search in the reduced costs from each row the row reduction left free.

use super::{lower, red};

/// Shortest augmenting paths from the rows `free`, on the row-major `n`-column matrix `cost`
/// (elements read as `f64`), from the prices `v` and the partial assignment left by the row
/// reduction.
#[inline(always)]
#[allow(clippy::mut_range_bound, unused_assignments)]
pub(super) fn augment<const NEG: bool, T: Copy + Into<f64>, const AHEAD: bool>(
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
            if AHEAD {
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
                    let r = if AHEAD {
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

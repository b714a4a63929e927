//! The dense solver's tests: brute force, the textbook Hungarian method, ties and near ties, the
//! compact copy, the kept memory, and the AVX2 build against the generic one.

use super::*;
use crate::matching::rng;

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

//! Mentor Match: from the ranked wishes of both sides after a group meeting, the pairs whose
//! wishes coincide (mutual first choices are reported), and a stable matching for the rest —
//! mentee-proposing deferred acceptance with mentor capacities. Ties broken by index.

/// `mentee_prefs[i]`: mentors in order of preference; `mentor_prefs[m]`: mentees in order.
/// Unlisted partners are unacceptable. Returns `mentor_of[mentee]`.
pub fn deferred_acceptance(
    mentee_prefs: &[Vec<usize>],
    mentor_prefs: &[Vec<usize>],
    capacities: &[u32],
) -> Vec<Option<usize>> {
    let mentees = mentee_prefs.len();
    let mentors = mentor_prefs.len();
    // rank[m][i]: position of mentee i in mentor m's list.
    let rank: Vec<std::collections::HashMap<usize, usize>> = mentor_prefs
        .iter()
        .map(|l| l.iter().enumerate().map(|(k, &i)| (i, k)).collect())
        .collect();
    let mut next = vec![0usize; mentees];
    let mut held: Vec<Vec<usize>> = vec![Vec::new(); mentors];
    let mut mentor_of = vec![None; mentees];
    let mut free: std::collections::VecDeque<usize> = (0..mentees).collect();
    while let Some(i) = free.pop_front() {
        let Some(&m) = mentee_prefs[i].get(next[i]) else {
            continue;
        };
        next[i] += 1;
        if m >= mentors || !rank[m].contains_key(&i) {
            free.push_back(i);
            continue;
        }
        held[m].push(i);
        mentor_of[i] = Some(m);
        let cap = capacities.get(m).copied().unwrap_or(1) as usize;
        if held[m].len() > cap {
            // Reject the worst held (by rank, then index).
            let (pos, &worst) = held[m]
                .iter()
                .enumerate()
                .max_by_key(|(_, x)| (rank[m][x], **x))
                .expect("non-empty");
            held[m].swap_remove(pos);
            mentor_of[worst] = None;
            free.push_back(worst);
        }
    }
    mentor_of
}

/// Pairs where each side put the other first.
pub fn mutual_first_choices(
    mentee_prefs: &[Vec<usize>],
    mentor_prefs: &[Vec<usize>],
) -> Vec<(usize, usize)> {
    mentee_prefs
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let m = *l.first()?;
            (mentor_prefs.get(m)?.first() == Some(&i)).then_some((i, m))
        })
        .collect()
}

/// A blocking pair: both prefer each other to what they have (for the tests and for checking).
pub fn blocking_pairs(
    mentee_prefs: &[Vec<usize>],
    mentor_prefs: &[Vec<usize>],
    capacities: &[u32],
    mentor_of: &[Option<usize>],
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, prefs) in mentee_prefs.iter().enumerate() {
        for &m in prefs {
            if mentor_of[i] == Some(m) {
                break; // everything after is worse for i
            }
            let Some(mrank) = mentor_prefs
                .get(m)
                .and_then(|l| l.iter().position(|&x| x == i))
            else {
                continue;
            };
            let held: Vec<usize> = (0..mentor_of.len())
                .filter(|&k| mentor_of[k] == Some(m))
                .collect();
            let cap = capacities.get(m).copied().unwrap_or(1) as usize;
            let prefers = held.len() < cap
                || held.iter().any(|&k| {
                    mentor_prefs[m]
                        .iter()
                        .position(|&x| x == k)
                        .map(|r| r > mrank)
                        .unwrap_or(true)
                });
            if prefers {
                out.push((i, m));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::rng;

    #[test]
    fn stable_with_capacities_and_deterministic() {
        let mut seed = 12345u64;
        for _ in 0..200 {
            let n = 1 + (rng(&mut seed) % 8) as usize;
            let k = 1 + (rng(&mut seed) % 5) as usize;
            let mut shuffle = |len: usize, keep: usize| {
                let mut v: Vec<usize> = (0..len).collect();
                for a in (1..len).rev() {
                    let b = (rng(&mut seed) % (a as u64 + 1)) as usize;
                    v.swap(a, b);
                }
                v.truncate(keep.max(1).min(len));
                v
            };
            let mentee_prefs: Vec<Vec<usize>> = (0..n).map(|_| shuffle(k, 3)).collect();
            let mentor_prefs: Vec<Vec<usize>> = (0..k).map(|_| shuffle(n, n)).collect();
            let caps: Vec<u32> = (0..k).map(|m| 1 + (m % 3) as u32).collect();
            let r = deferred_acceptance(&mentee_prefs, &mentor_prefs, &caps);
            assert_eq!(r, deferred_acceptance(&mentee_prefs, &mentor_prefs, &caps));
            for (m, cap) in caps.iter().enumerate() {
                assert!(r.iter().filter(|x| **x == Some(m)).count() <= *cap as usize);
            }
            for (i, m) in r.iter().enumerate() {
                if let Some(m) = m {
                    assert!(
                        mentee_prefs[i].contains(m) && mentor_prefs[*m].contains(&i),
                        "only acceptable pairs"
                    );
                }
            }
            assert!(blocking_pairs(&mentee_prefs, &mentor_prefs, &caps, &r).is_empty());
        }
    }

    #[test]
    fn mutual_first_choices_found() {
        let mentee = vec![vec![1, 0], vec![0], vec![1]];
        let mentor = vec![vec![1, 0], vec![0, 2]];
        assert_eq!(mutual_first_choices(&mentee, &mentor), vec![(0, 1), (1, 0)]);
    }
}

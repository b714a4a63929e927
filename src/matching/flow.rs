//! Exact maximum-score assignment of mentees to mentors with capacities on a sparse candidate
//! graph: successive shortest augmenting paths (Dijkstra with potentials, stopped at the sink),
//! one mentee at a time. Every mentee may also stay unpaired through a private "skip" edge, whose
//! cost decides the objective: quality (skipping costs nothing extra) or coverage (skipping costs
//! more than any pair can give).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A candidate pair: mentee, mentor, score (higher is better).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    pub mentee: usize,
    pub mentor: usize,
    pub score: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Objective {
    /// Maximum total score.
    Quality,
    /// As many mentees paired as possible, then maximum total score.
    Coverage,
}

#[derive(Clone, Copy)]
struct Item {
    dist: f64,
    node: usize,
}

impl PartialEq for Item {
    fn eq(&self, o: &Self) -> bool {
        self.dist == o.dist && self.node == o.node
    }
}
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Item {
    fn cmp(&self, o: &Self) -> Ordering {
        // Min-heap on distance, ties by node id (determinism).
        o.dist
            .total_cmp(&self.dist)
            .then_with(|| o.node.cmp(&self.node))
    }
}

/// Solves; `fixed` pairs are kept and use capacity. Returns `mentor_of[mentee]`.
///
/// Augmenting paths start from the smaller side: mentees one by one when there are at least as
/// many places as mentees, else the mentors' places one by one (free mentees are then plentiful
/// and the paths short).
pub fn assign(
    mentees: usize,
    capacities: &[u32],
    edges: &[Edge],
    fixed: &[(usize, usize)],
    objective: Objective,
) -> Vec<Option<usize>> {
    let mentors = capacities.len();
    let places: u64 = capacities.iter().map(|c| *c as u64).sum();
    let valid: Vec<Edge> = edges
        .iter()
        .copied()
        .filter(|e| e.mentee < mentees && e.mentor < mentors)
        .collect();
    let max_score = valid.iter().map(|e| e.score).fold(0f64, f64::max);
    let skip_cost = match objective {
        Objective::Quality => max_score,
        Objective::Coverage => {
            max_score * 2.0 + 1.0 + max_score * (mentees.max(places as usize)) as f64
        }
    };
    let mut mentor_of = vec![None; mentees];
    if places >= mentees as u64 {
        let left: Vec<(usize, usize, f64)> = valid
            .iter()
            .map(|e| (e.mentee, e.mentor, max_score - e.score))
            .collect();
        let supply = vec![1u32; mentees];
        let fixed_lr: Vec<(usize, usize)> = fixed.to_vec();
        let got = ssp(mentees, &supply, capacities, &left, &fixed_lr, skip_cost);
        for (i, rights) in got.into_iter().enumerate() {
            mentor_of[i] = rights.first().copied();
        }
    } else {
        let left: Vec<(usize, usize, f64)> = valid
            .iter()
            .map(|e| (e.mentor, e.mentee, max_score - e.score))
            .collect();
        let ones = vec![1u32; mentees];
        let fixed_lr: Vec<(usize, usize)> = fixed.iter().map(|&(i, m)| (m, i)).collect();
        let got = ssp(mentors, capacities, &ones, &left, &fixed_lr, skip_cost);
        for (m, rights) in got.into_iter().enumerate() {
            for i in rights {
                mentor_of[i] = Some(m);
            }
        }
    }
    mentor_of
}

/// Min-cost assignment on a bipartite graph: left node `l` sends up to `supply[l]` units, each to
/// a distinct right node (capacity `cap[r]`) along an edge `(l, r, cost ≥ 0)`, or skips at
/// `skip_cost`; every unit is sent. Successive shortest paths with potentials, one unit at a time.
/// Returns the right nodes of each left node.
fn ssp(
    lefts: usize,
    supply: &[u32],
    cap: &[u32],
    edges: &[(usize, usize, f64)],
    fixed: &[(usize, usize)],
    skip_cost: f64,
) -> Vec<Vec<usize>> {
    let rights = cap.len();
    let mut sorted: Vec<(usize, usize, f64)> = edges.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    sorted.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    let mut start = vec![0usize; lefts + 1];
    for e in &sorted {
        start[e.0 + 1] += 1;
    }
    for l in 0..lefts {
        start[l + 1] += start[l];
    }
    let adj_right: Vec<usize> = sorted.iter().map(|e| e.1).collect();
    let adj_cost: Vec<f64> = sorted.iter().map(|e| e.2).collect();
    let cost_of = |l: usize, r: usize| -> Option<f64> {
        adj_right[start[l]..start[l + 1]]
            .binary_search(&r)
            .ok()
            .map(|k| adj_cost[start[l] + k])
    };

    // assigned[l]: right nodes of l; members[r]: left nodes at r; locked pairs are never undone.
    let mut assigned: Vec<Vec<usize>> = vec![Vec::new(); lefts];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); rights];
    let mut locked: std::collections::HashSet<(usize, usize)> = Default::default();
    let mut sent = vec![0u32; lefts];
    for &(l, r) in fixed {
        if l < lefts
            && r < rights
            && sent[l] < supply[l]
            && (members[r].len() as u32) < cap[r]
            && !assigned[l].contains(&r)
        {
            assigned[l].push(r);
            members[r].push(l);
            locked.insert((l, r));
            sent[l] += 1;
        }
    }

    // Nodes: lefts 0..L, rights L..L+R, sink T.
    let t = lefts + rights;
    let nodes = t + 1;
    let mut pot = vec![0f64; nodes];
    let mut dist = vec![f64::INFINITY; nodes];
    let mut prev = vec![usize::MAX; nodes];
    let mut done = vec![false; nodes];
    let mut touched: Vec<usize> = Vec::new();
    let mut heap = BinaryHeap::new();

    for s in 0..lefts {
        while sent[s] < supply[s] {
            sent[s] += 1;
            for &v in &touched {
                dist[v] = f64::INFINITY;
                prev[v] = usize::MAX;
                done[v] = false;
            }
            touched.clear();
            heap.clear();
            dist[s] = 0.0;
            touched.push(s);
            heap.push(Item { dist: 0.0, node: s });
            let mut reached = false;
            while let Some(Item { dist: du, node: u }) = heap.pop() {
                if done[u] || du > dist[u] {
                    continue;
                }
                done[u] = true;
                if u == t {
                    reached = true;
                    break;
                }
                let pu = pot[u];
                let mut relax =
                    |v: usize, c: f64, heap: &mut BinaryHeap<Item>, touched: &mut Vec<usize>| {
                        let nd = du + c + pu - pot[v];
                        if nd < dist[v] - 1e-12 {
                            if dist[v].is_infinite() {
                                touched.push(v);
                            }
                            dist[v] = nd;
                            prev[v] = u;
                            heap.push(Item { dist: nd, node: v });
                        }
                    };
                if u < lefts {
                    for k in start[u]..start[u + 1] {
                        let r = adj_right[k];
                        if !assigned[u].contains(&r) {
                            relax(lefts + r, adj_cost[k], &mut heap, &mut touched);
                        }
                    }
                    // Skip: the unit being placed, or one freed by leaving a right node.
                    relax(t, skip_cost, &mut heap, &mut touched);
                } else {
                    let r = u - lefts;
                    if (members[r].len() as u32) < cap[r] {
                        relax(t, 0.0, &mut heap, &mut touched);
                    }
                    for &l in &members[r] {
                        if !locked.contains(&(l, r))
                            && let Some(c) = cost_of(l, r)
                        {
                            relax(l, -c, &mut heap, &mut touched);
                        }
                    }
                }
            }
            if !reached {
                continue;
            }
            let dt = dist[t];
            for &v in &touched {
                if done[v] && dist[v] < dt {
                    pot[v] += dist[v] - dt;
                }
            }
            let mut path = vec![t];
            let mut v = t;
            while v != s {
                v = prev[v];
                path.push(v);
            }
            path.reverse();
            // Apply s → r1 → l1 → r2 → … → T. A back edge r → l removes (l, r).
            for w in path.windows(2) {
                let (a, b) = (w[0], w[1]);
                if a < lefts && b >= lefts && b < t {
                    let r = b - lefts;
                    assigned[a].push(r);
                    members[r].push(a);
                } else if a >= lefts && a < t && b < lefts {
                    let r = a - lefts;
                    members[r].retain(|&x| x != b);
                    assigned[b].retain(|&x| x != r);
                }
            }
        }
    }
    for a in &mut assigned {
        a.sort_unstable();
    }
    assigned
}

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
pub fn assign(
    mentees: usize,
    capacities: &[u32],
    edges: &[Edge],
    fixed: &[(usize, usize)],
    objective: Objective,
) -> Vec<Option<usize>> {
    let mentors = capacities.len();
    // Adjacency (CSR) of mentee → (mentor, cost); costs made non-negative: MAX − score.
    let max_score = edges.iter().map(|e| e.score).fold(0f64, f64::max);
    let skip_cost = match objective {
        Objective::Quality => max_score,
        Objective::Coverage => max_score * 2.0 + 1.0 + max_score * mentees as f64,
    };
    let mut sorted: Vec<Edge> = edges
        .iter()
        .copied()
        .filter(|e| e.mentee < mentees && e.mentor < mentors)
        .collect();
    sorted.sort_by(|a, b| a.mentee.cmp(&b.mentee).then(a.mentor.cmp(&b.mentor)));
    let mut start = vec![0usize; mentees + 1];
    for e in &sorted {
        start[e.mentee + 1] += 1;
    }
    for i in 0..mentees {
        start[i + 1] += start[i];
    }
    let adj_mentor: Vec<usize> = sorted.iter().map(|e| e.mentor).collect();
    let adj_cost: Vec<f64> = sorted.iter().map(|e| max_score - e.score).collect();
    let cost_of = |i: usize, m: usize| -> Option<f64> {
        let s = &adj_mentor[start[i]..start[i + 1]];
        s.binary_search(&m).ok().map(|k| adj_cost[start[i] + k])
    };

    let mut mentor_of: Vec<Option<usize>> = vec![None; mentees];
    // Mentees currently paired with each mentor (for the backward edges).
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); mentors];
    let mut is_fixed = vec![false; mentees];
    for &(i, m) in fixed {
        if i < mentees
            && m < mentors
            && mentor_of[i].is_none()
            && (members[m].len() as u32) < capacities[m]
        {
            mentor_of[i] = Some(m);
            members[m].push(i);
            is_fixed[i] = true;
        }
    }

    // Nodes: mentees 0..M, mentors M..M+K, sink T = M+K.
    let t = mentees + mentors;
    let nodes = t + 1;
    let mut pot = vec![0f64; nodes];
    let mut dist = vec![f64::INFINITY; nodes];
    let mut prev = vec![usize::MAX; nodes];
    let mut done = vec![false; nodes];
    let mut touched: Vec<usize> = Vec::new();
    let mut heap = BinaryHeap::new();

    for s in 0..mentees {
        if is_fixed[s] {
            continue;
        }
        // Dijkstra from s on reduced costs.
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
            let mut relax =
                |v: usize, c: f64, heap: &mut BinaryHeap<Item>, touched: &mut Vec<usize>| {
                    let nd = du + c + pot[u] - pot[v];
                    if nd < dist[v] - 1e-12 {
                        if dist[v].is_infinite() {
                            touched.push(v);
                        }
                        dist[v] = nd;
                        prev[v] = u;
                        heap.push(Item { dist: nd, node: v });
                    }
                };
            if u < mentees {
                // Mentee: forward to candidate mentors (not its current one), or skip.
                for k in start[u]..start[u + 1] {
                    let m = adj_mentor[k];
                    if mentor_of[u] != Some(m) {
                        relax(mentees + m, adj_cost[k], &mut heap, &mut touched);
                    }
                }
                if mentor_of[u].is_some() || u == s {
                    relax(t, skip_cost, &mut heap, &mut touched);
                }
            } else {
                let m = u - mentees;
                if (members[m].len() as u32) < capacities[m] {
                    relax(t, 0.0, &mut heap, &mut touched);
                }
                // Backward: a member may leave this mentor.
                for &i in &members[m] {
                    if !is_fixed[i]
                        && let Some(c) = cost_of(i, m)
                    {
                        relax(i, -c, &mut heap, &mut touched);
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
        // Apply the path s → m1 → i1 → m2 → … → T.
        let mut path = vec![t];
        let mut v = t;
        while v != s {
            v = prev[v];
            path.push(v);
        }
        path.reverse();
        for w in path.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a < mentees && b >= mentees && b < t {
                let m = b - mentees;
                mentor_of[a] = Some(m);
                members[m].push(a);
            } else if a >= mentees && a < t && b < mentees {
                members[a - mentees].retain(|&x| x != b);
            } else if a < mentees && b == t {
                mentor_of[a] = None;
            }
        }
    }
    mentor_of
}

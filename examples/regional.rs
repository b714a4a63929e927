//! Regional scale: 20,000 mentees, 5,000 mentors with capacities 1–4, each mentee scored against
//! its 50 best candidates (a sparse graph); the exact optimum on that graph.
//! `cargo run --release --example regional [-- MENTEES MENTORS CANDIDATES]`. Seeded; prints
//! figures, and the greedy baseline for comparison.

use std::time::Instant;

use nastavnik::matching::{Edge, Objective, flow, greedy, total};

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let mentees = args.first().copied().unwrap_or(20_000);
    let mentors = args.get(1).copied().unwrap_or(5_000);
    let k = args.get(2).copied().unwrap_or(50);
    let mut seed: u64 = 0x5EED_2026;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let caps: Vec<u32> = (0..mentors).map(|_| 1 + (next() % 4) as u32).collect();
    let mut edges = Vec::with_capacity(mentees * k);
    for i in 0..mentees {
        // The k best candidates of a mentee: distinct mentors with scores in [0, 1].
        let mut chosen = std::collections::BTreeSet::new();
        while chosen.len() < k.min(mentors) {
            chosen.insert((next() % mentors as u64) as usize);
        }
        for m in chosen {
            edges.push(Edge {
                mentee: i,
                mentor: m,
                score: (next() % 10_000) as f64 / 10_000.0,
            });
        }
    }
    let slots: u64 = caps.iter().map(|c| *c as u64).sum();
    println!(
        "mentees={mentees} mentors={mentors} places={slots} edges={}",
        edges.len()
    );
    for obj in [Objective::Quality, Objective::Coverage] {
        let t = Instant::now();
        let got = flow::assign(mentees, &caps, &edges, &[], obj);
        let secs = t.elapsed().as_secs_f64();
        let paired = got.iter().filter(|x| x.is_some()).count();
        println!(
            "{obj:?}: solve_seconds={secs:.3} paired={paired} total={:.3}",
            total(&edges, &got)
        );
    }
    let t = Instant::now();
    let g = greedy(mentees, &caps, &edges);
    println!(
        "greedy: solve_seconds={:.3} paired={} total={:.3}",
        t.elapsed().as_secs_f64(),
        g.iter().filter(|x| x.is_some()).count(),
        total(&edges, &g)
    );
}

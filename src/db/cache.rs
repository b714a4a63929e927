//! Small in-process caches of what an organization's pages read often and change rarely — a
//! list's count per filter, the option lists of its filters. Every entry carries the
//! organization's data version (`org_data_versions`, migration 026: raised at the commit of any
//! change to people, enrolments, consents, programs, questionnaires, memberships or the
//! organization's forms, and read with the
//! organization itself in the organization context `OrgCtx`), so an entry is never served once its data
//! changed, on this node or on another; entries also expire after [`TTL`], which bounds what a
//! change made around the triggers (a restore, a hand edit in `psql`) can leave behind.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

/// The longest an entry is kept, whatever the version says.
pub const TTL: Duration = Duration::from_secs(60);

struct Entry<V> {
    version: i64,
    at: Instant,
    value: V,
}

/// Values of kind `V` per organization and key `K`, at most `capacity` of them.
pub struct OrgCache<K, V> {
    entries: Mutex<HashMap<(Uuid, K), Entry<V>>>,
    capacity: usize,
}

impl<K: Hash + Eq, V: Clone> OrgCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        OrgCache {
            entries: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    /// The value kept for `key` in organization `org` at data version `version`, if any.
    pub fn get(&self, org: Uuid, version: i64, key: K) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(&(org, key))
            .filter(|e| e.version == version && e.at.elapsed() < TTL)
            .map(|e| e.value.clone())
    }

    /// Keeps `value`; when full, the expired entries go, and if that frees nothing, all of them.
    pub fn put(&self, org: Uuid, version: i64, key: K, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.capacity {
            entries.retain(|_, e| e.at.elapsed() < TTL);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(
            (org, key),
            Entry {
                version,
                at: Instant::now(),
                value,
            },
        );
    }

    /// The kept value, or what `load` reads (kept for the next time).
    pub async fn get_or<E, F>(&self, org: Uuid, version: i64, key: K, load: F) -> Result<V, E>
    where
        K: Clone,
        F: Future<Output = Result<V, E>>,
    {
        if let Some(v) = self.get(org, version, key.clone()) {
            return Ok(v);
        }
        let v = load.await?;
        self.put(org, version, key, v.clone());
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_served_only_at_its_version() {
        let cache: OrgCache<&str, i64> = OrgCache::new(10);
        let org = Uuid::new_v4();
        cache.put(org, 3, "mentee", 4044);
        assert_eq!(cache.get(org, 3, "mentee"), Some(4044));
        assert_eq!(cache.get(org, 4, "mentee"), None, "a newer version");
        assert_eq!(
            cache.get(Uuid::new_v4(), 3, "mentee"),
            None,
            "another school"
        );
        assert_eq!(cache.get(org, 3, "mentor"), None, "another key");
    }

    #[test]
    fn a_full_cache_makes_room() {
        let cache: OrgCache<u32, u32> = OrgCache::new(2);
        let org = Uuid::new_v4();
        for k in 0..5 {
            cache.put(org, 1, k, k);
            assert_eq!(cache.get(org, 1, k), Some(k));
        }
        assert!(cache.entries.lock().unwrap().len() <= 2);
    }
}

//! Memory the dense solver keeps or asks for: the compact single-precision copy of a matrix of
//! short decimals, buffers in huge pages (kept per thread for the next solve), a huge-page copy
//! for callers with big matrices, and the tiled transposition of a tall matrix.

/// A copy of a large matrix in single precision, made when every value is a decimal with few
/// places: `k / 10^d` for an integer `|k| < 2^24` and `d ≤ 6` (integers, questionnaire scores in
/// quarters or tenths, floats rounded to a few places). The copy holds the integers `k`, exact in
/// `f32`, and the solver goes on in units of `10^-d`, where every sum and difference of prices
/// is an integer exact in `f64` — so the solver works on the decimals themselves, where equal
/// sums are equal, from a matrix half the size: at n = 2000 (32 MB in `f64`, as large as this
/// machine's last cache) the shortest paths spend most of their time fetching rows, and the copy
/// fits (integers 33 → 28 ms, floats rounded to 6 places 50 → 29).
pub(super) struct Compact {
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
    pub(super) const MIN_LEN: usize = 1 << 19;
    /// Integers are exact in `f64` already: they are copied only for the smaller matrix, from
    /// 16 MB in `f64` (at n = 1000 the copy cost more than it saved: 5.9 → 7.2 ms).
    pub(super) const MIN_LEN_INTEGERS: usize = 1 << 21;
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
    pub(super) fn of(m: &[f64]) -> Option<Self> {
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
pub(super) struct Transposed {
    buf: Option<Buffer>,
    len: usize,
}

impl Transposed {
    pub(super) fn new(rows: usize, cols: usize, m: &[f64]) -> Self {
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

//! A message that carries a one-time link or a login code waits in the outbox sealed: its text,
//! its HTML and its link are encrypted (ChaCha20-Poly1305, a fresh nonce each) with a key kept
//! outside the database — `NASTAVNIK_OUTBOX_KEY` (64 hex digits; the same on every node that
//! sends mail), else the file `NASTAVNIK_OUTBOX_KEY_FILE` (a volume the nodes share) or
//! `<NASTAVNIK_DATA_DIR>/outbox.key`, made on first use, readable by the app's user only. A copy of the database alone (a dump, a backup, a replica) holds no usable secret;
//! the body is opened only to be sent, and cleared once sent.

use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use chacha20poly1305::aead::Aead;
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};

/// What a sealed value starts with (and its format's version).
const PREFIX: &str = "sealed1:";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn key_file() -> PathBuf {
    if let Some(file) =
        std::env::var_os(crate::config::OUTBOX_KEY_VARS[1]).filter(|f| !f.is_empty())
    {
        return PathBuf::from(file);
    }
    let dir = std::env::var_os("NASTAVNIK_DATA_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("./data"));
    dir.join("outbox.key")
}

/// Reads the key file, or makes it (atomically: two processes starting at once get one key).
fn load_or_make(path: &std::path::Path) -> Result<[u8; 32], String> {
    let read = |p: &std::path::Path| -> Result<[u8; 32], String> {
        let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
        unhex(text.trim())
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| format!("{}: нужен ключ из 64 шестнадцатеричных цифр", p.display()))
    };
    if path.exists() {
        return read(path);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| e.to_string())?;
    let tmp = path.with_extension(format!("key.{}", std::process::id()));
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(|e| format!("{}: {e}", tmp.display()))?;
        f.write_all(hex(&key).as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(|e| format!("{}: {e}", tmp.display()))?;
    }
    // A hard link never replaces: whoever links first wins, the other reads the winner's key.
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(key),
        Err(_) => read(path),
    }
}

fn cipher() -> Result<&'static ChaCha20Poly1305, String> {
    static CIPHER: OnceLock<Result<ChaCha20Poly1305, String>> = OnceLock::new();
    CIPHER
        .get_or_init(|| {
            let key = match std::env::var(crate::config::OUTBOX_KEY_VARS[0]) {
                Ok(k) if !k.trim().is_empty() => unhex(k.trim())
                    .and_then(|b| <[u8; 32]>::try_from(b).ok())
                    .ok_or_else(|| {
                        "NASTAVNIK_OUTBOX_KEY: нужны 64 шестнадцатеричные цифры".to_string()
                    })?,
                _ => load_or_make(&key_file())?,
            };
            Ok(ChaCha20Poly1305::new(&Key::from(key)))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Seals a text (empty stays empty).
pub fn seal(plain: &str) -> Result<String, String> {
    if plain.is_empty() {
        return Ok(String::new());
    }
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).map_err(|e| e.to_string())?;
    let sealed = cipher()?
        .encrypt(&Nonce::from(nonce), plain.as_bytes())
        .map_err(|_| "шифрование не удалось".to_string())?;
    Ok(format!("{PREFIX}{}{}", hex(&nonce), hex(&sealed)))
}

/// Opens a sealed text; a text that was not sealed comes back as it is.
pub fn open(text: &str) -> Result<String, String> {
    let Some(body) = text.strip_prefix(PREFIX) else {
        return Ok(text.to_string());
    };
    let bytes = unhex(body)
        .filter(|b| b.len() > 12)
        .ok_or("повреждённое письмо")?;
    let (nonce, sealed) = bytes.split_at(12);
    let nonce: [u8; 12] = nonce.try_into().map_err(|_| "повреждённое письмо")?;
    let plain = cipher()?
        .decrypt(&Nonce::from(nonce), sealed)
        .map_err(|_| "письмо запечатано другим ключом (NASTAVNIK_OUTBOX_KEY)".to_string())?;
    String::from_utf8(plain).map_err(|_| "повреждённое письмо".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_and_opened() {
        let s = seal("Ссылка: https://x/invite/abc").unwrap();
        assert!(s.starts_with(PREFIX) && !s.contains("invite"));
        assert_eq!(open(&s).unwrap(), "Ссылка: https://x/invite/abc");
        assert_ne!(
            seal("x").unwrap(),
            seal("x").unwrap(),
            "a fresh nonce each time"
        );
        assert_eq!(open("plain").unwrap(), "plain");
        let mut broken = s.clone();
        broken.pop();
        broken.push(if s.ends_with('0') { '1' } else { '0' });
        assert!(open(&broken).is_err());
    }
}

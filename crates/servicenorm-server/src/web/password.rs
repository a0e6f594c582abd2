//! Passwords: only an argon2 hash is ever stored.

use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
};

/// The shortest password accepted for a staff account.
pub const MIN_LENGTH: usize = 12;

/// Hashes a password with a fresh random salt, in PHC form.
pub fn hash(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| format!("geen willekeurige bytes: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the stored hash. A hash that cannot be read
/// matches nothing.
pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Checks a new password; the message says what is wrong, in Dutch.
pub fn check_new(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_LENGTH {
        return Err(format!(
            "het wachtwoord moet minstens {MIN_LENGTH} tekens lang zijn"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("correct paard batterij").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct paard batterij", &stored));
        assert!(!verify("correct paard batterij!", &stored));
        assert!(!verify("correct paard batterij", "geen hash"));
        // A fresh salt each time.
        assert_ne!(stored, hash("correct paard batterij").unwrap());
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_new("kort").is_err());
        assert!(check_new("lang genoeg nu").is_ok());
    }
}

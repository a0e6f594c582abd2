//! What can go wrong when storing or reading.

/// A storage failure. Expected conflicts are their own variants, so the
/// server can answer them precisely; the rest is a database failure.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migratie van de database mislukt: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "gebeurtenis {id} bestaat al met een andere inhoud:\n  opgeslagen: {stored}\n  aangeboden: {offered}"
    )]
    EventConflict {
        id: String,
        stored: String,
        offered: String,
    },
    #[error("catalogus {catalog_id} heeft al een versie die ingaat op {valid_from}")]
    CatalogExists {
        catalog_id: String,
        valid_from: String,
    },
    #[error("er is al een token met de naam \"{0}\"")]
    TokenExists(String),
    #[error("er is al een gebruiker met de naam \"{0}\"")]
    UserExists(String),
    #[error("onbekende database-URL \"{0}\": gebruik sqlite:PAD of postgres://...")]
    UnknownUrl(String),
    #[error("opgeslagen gegevens zijn niet te lezen: {0}")]
    Corrupt(String),
    #[error("databasenaam \"{0}\" kan niet: gebruik alleen kleine letters, cijfers en _")]
    BadDatabaseName(String),
}

//! Claims on website probe slots, so that of several instances on one
//! database only one probes a target in a given slot.

use jiff::Timestamp;

use crate::{StorageError, Store, queries::Dialect, store::on_writer};

/// Inserts the claim unless another instance made it first.
const CLAIM_SLOT: &str =
    "INSERT INTO probe_slots (target, slot) VALUES (?, ?) ON CONFLICT (target, slot) DO NOTHING";

/// A slot is only claimed around its own time: older claims serve no one.
const FORGET_SLOTS: &str = "DELETE FROM probe_slots WHERE target = ? AND slot < ?";

impl Store {
    /// Claims the slot of probe target `target` that starts at `slot` for
    /// this instance: true when no instance claimed it before, so this one
    /// probes. The target's claims on slots before `forget_before` are
    /// deleted in the same transaction.
    ///
    /// Slots are kept to the millisecond: a probe interval may be shorter
    /// than a second.
    pub async fn claim_probe_slot(
        &self,
        target: &str,
        slot: Timestamp,
        forget_before: Timestamp,
    ) -> Result<bool, StorageError> {
        on_writer!(self, pool, dialect => {
            let mut tx = pool.begin_with(dialect.begin_write()).await?;
            sqlx::query(dialect.sql(FORGET_SLOTS))
                .bind(target)
                .bind(forget_before.as_millisecond())
                .execute(&mut *tx)
                .await?;
            let claimed = sqlx::query(dialect.sql(CLAIM_SLOT))
                .bind(target)
                .bind(slot.as_millisecond())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(claimed == 1)
        })
    }
}

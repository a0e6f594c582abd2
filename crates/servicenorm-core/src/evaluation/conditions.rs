//! Whether a case meets a norm's or variant's conditions.

use crate::{
    catalog::{ConditionKey, Conditions},
    events::CaseFacts,
};

/// Each condition must hold; an attribute the case does not have fails it.
/// `weekend` is whether the clock started in the calendar's weekend window.
pub(crate) fn hold(conditions: &Conditions, facts: &CaseFacts, weekend: Option<bool>) -> bool {
    conditions.0.iter().all(|(key, expected)| match key {
        ConditionKey::Weekend => weekend == expected.as_bool(),
        ConditionKey::Attribute(attribute) => {
            facts.get(*attribute).is_some_and(|value| value == expected)
                // An absent yes/no attribute reads as "no".
                || (facts.get(*attribute).is_none() && expected.as_bool() == Some(false))
        }
    })
}

//! Where the service gets the time from: the system clock, or a clock the
//! tests move by hand.

use std::sync::{
    Mutex,
    atomic::{AtomicI64, Ordering},
};

use jiff::Timestamp;

/// The time, injected so that tests control it.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

/// The real time.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that stands still until it is set.
pub struct ManualClock {
    seconds: AtomicI64,
    lock: Mutex<()>,
}

impl ManualClock {
    pub fn new(start: Timestamp) -> ManualClock {
        ManualClock {
            seconds: AtomicI64::new(start.as_second()),
            lock: Mutex::new(()),
        }
    }

    pub fn set(&self, to: Timestamp) {
        let _guard = self.lock.lock();
        self.seconds.store(to.as_second(), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_second(self.seconds.load(Ordering::SeqCst)).unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

//! Nothing persists: every process starts empty (CI with GTX_CLIENT_ID/SECRET).

use super::StoreKind;
use super::{ProfileKey, Record, Store};
use crate::error::Result;
use std::cell::RefCell;
use std::collections::BTreeMap;

#[derive(Default)]
pub struct MemoryStore {
    records: RefCell<BTreeMap<ProfileKey, Record>>,
}

impl Store for MemoryStore {
    fn kind(&self) -> StoreKind {
        StoreKind::Memory
    }
    fn load(&self, key: &ProfileKey) -> Result<Option<Record>> {
        Ok(self.records.borrow().get(key).cloned())
    }
    fn save(&self, key: &ProfileKey, record: &Record) -> Result<()> {
        self.records
            .borrow_mut()
            .insert(key.clone(), record.clone());
        Ok(())
    }
    fn delete(&self, key: &ProfileKey) -> Result<bool> {
        Ok(self.records.borrow_mut().remove(key).is_some())
    }
    fn list(&self) -> Result<Vec<(ProfileKey, Result<Record>)>> {
        Ok(self
            .records
            .borrow()
            .iter()
            .map(|(k, v)| (k.clone(), Ok(v.clone())))
            .collect())
    }
    fn shared(&self) -> bool {
        false
    }
}

//! Scenario files: the strict TOML format, its checks, and the typed [`Scenario`] the engine runs.
//!
//! Reading goes in two steps, as rebar does: the file is parsed into wire types that refuse
//! unknown keys (`deny_unknown_fields`), then converted into checked domain types whose errors
//! name the file, the line and the column, what was found and what is allowed. Each provision
//! is read by the family of provisions that implements its kind (see `crate::provisions`), so a
//! provision's parameters are declared next to its mechanism.

mod error;
mod param;
mod wire;

pub use error::{ScenarioError, line_column};
pub use param::{
    DAYS_PER_YEAR, Dim, Dist, MAX_PARAMS, ParamId, ParamSpec, ParamTable, ParamWire, SpannedParam,
    fmt_num,
};
pub use wire::{
    ConflictConfig, GuarantorConfig, MembershipConfig, MembershipStatus, Meta, PartyConfig,
    PartyKind, RegionConfig, SideConfig, Source, TimeConfig,
};

use crate::provisions::{Plan, ProvisionInfo, kind::Kind};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// A checked scenario: an agreement and the world it is signed in.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file it was read from, as given.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// Name, title, dates and sources.
    pub meta: Meta,
    /// Horizon and tick.
    pub time: TimeConfig,
    /// The two armed sides and the parameters of the conflict itself.
    pub conflict: ConflictConfig,
    /// Every party, in file order (its index is its position here).
    pub parties: Vec<PartyConfig>,
    /// Memberships of parties in alliances, unions and bodies.
    pub memberships: Vec<MembershipConfig>,
    /// Regions whose control the agreement settles.
    pub regions: Vec<RegionConfig>,
    /// The provisions, in file order.
    pub provisions: Vec<ProvisionInfo>,
    /// The compiled mechanisms, one slot per kind.
    pub plan: Plan,
    /// Every number in the file.
    pub params: ParamTable,
}

impl Scenario {
    /// Reads and checks a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let bytes = std::fs::read(path).map_err(|source| ScenarioError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|e| ScenarioError::file(path, format!("is not UTF-8 text ({e})")))?;
        Scenario::parse(path, &text)
    }

    /// Checks a scenario given as text; `path` is used in messages and recorded.
    pub fn parse(path: &Path, text: &str) -> Result<Scenario, ScenarioError> {
        let root = DeTable::parse(text).map_err(|e| ScenarioError::from_toml(path, text, &e))?;
        let span = root.span();
        let mut table = root.into_inner();
        let provisions = table.remove("provision");
        let mut ctx = Ctx {
            path,
            text,
            params: ParamTable::default(),
            parties: Vec::new(),
        };
        let wire: wire::ScenarioWire = ctx.de(Spanned::new(span.clone(), DeValue::Table(table)))?;
        let (meta, time, conflict, parties, memberships, regions) = wire::compile(&mut ctx, wire)?;
        let (provisions, plan) = match provisions {
            None => (Vec::new(), Plan::default()),
            Some(v) => {
                let vspan = v.span();
                match v.into_inner() {
                    DeValue::Array(items) => crate::provisions::compile(
                        &mut ctx,
                        items.into_iter().collect(),
                        &parties,
                        &conflict,
                        &regions,
                    )?,
                    other => {
                        return Err(ctx.err(
                            vspan,
                            format!(
                                "`provision` must be an array of tables ([[provision]]), found {}",
                                other.type_str()
                            ),
                        ));
                    }
                }
            }
        };
        let sha256 = hex(&Sha256::digest(text.as_bytes()));
        Ok(Scenario {
            path: path.to_path_buf(),
            sha256,
            meta,
            time,
            conflict,
            parties,
            memberships,
            regions,
            provisions,
            plan,
            params: ctx.params,
        })
    }

    /// The party index with this id.
    pub fn party_index(&self, id: &str) -> Option<u8> {
        self.parties
            .iter()
            .position(|p| p.id == id)
            .map(|i| i as u8)
    }

    /// The id of a side (0 or 1).
    pub fn side_id(&self, side: u8) -> &str {
        &self.parties[self.conflict.sides[side as usize] as usize].id
    }

    /// The provision bound to point `point`, if any.
    pub fn provision_at(&self, point: u32) -> Option<&ProvisionInfo> {
        self.provisions.iter().find(|p| p.point == point)
    }

    /// The kinds present in the scenario.
    pub fn kinds(&self) -> crate::provisions::kind::KindSet {
        let mut s = crate::provisions::kind::KindSet::EMPTY;
        for p in &self.provisions {
            s.insert(p.kind);
        }
        s
    }

    /// The point a kind is bound to in this scenario.
    pub fn point_of(&self, kind: Kind) -> Option<u32> {
        self.provisions
            .iter()
            .find(|p| p.kind == kind)
            .map(|p| p.point)
    }
}

/// Hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// What a party is, as the rest of the scenario refers to it.
#[derive(Debug, Clone)]
pub struct PartyRef {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: PartyKind,
}

/// The context of reading one scenario file: where errors point, and the tables being filled.
pub struct Ctx<'a> {
    /// The file.
    pub path: &'a Path,
    /// Its text.
    pub text: &'a str,
    /// Parameters read so far.
    pub params: ParamTable,
    /// Parties read so far.
    pub parties: Vec<PartyRef>,
}

impl Ctx<'_> {
    /// An error at a span of the file.
    pub fn err(&self, span: Range<usize>, message: impl Into<String>) -> ScenarioError {
        ScenarioError::at(self.path, self.text, span, message)
    }

    /// An error about the file as a whole.
    pub fn file_err(&self, message: impl Into<String>) -> ScenarioError {
        ScenarioError::file(self.path, message)
    }

    /// Deserialises a spanned TOML value into a wire type, keeping places in errors.
    pub fn de<T: DeserializeOwned>(&self, v: Spanned<DeValue<'_>>) -> Result<T, ScenarioError> {
        T::deserialize(ValueDeserializer::from(v))
            .map_err(|e| ScenarioError::from_toml(self.path, self.text, &e))
    }

    /// Checks a parameter and records it under `path`.
    pub fn param(
        &mut self,
        path: &str,
        dim: Dim,
        w: &SpannedParam,
    ) -> Result<ParamId, ScenarioError> {
        self.params
            .add(path, dim, w.get_ref())
            .map_err(|m| ScenarioError::at(self.path, self.text, w.span(), m))
    }

    /// Like [`Ctx::param`] for a parameter that may be absent.
    pub fn opt_param(
        &mut self,
        path: &str,
        dim: Dim,
        w: &Option<SpannedParam>,
    ) -> Result<Option<ParamId>, ScenarioError> {
        w.as_ref().map(|w| self.param(path, dim, w)).transpose()
    }

    /// Resolves a reference to a party by id; `key` names the field in messages.
    pub fn party(&self, key: &str, id: &Spanned<String>) -> Result<u8, ScenarioError> {
        self.parties
            .iter()
            .position(|p| p.id == *id.get_ref())
            .map(|i| i as u8)
            .ok_or_else(|| {
                let known: Vec<_> = self
                    .parties
                    .iter()
                    .map(|p| format!("\"{}\"", p.id))
                    .collect();
                self.err(
                    id.span(),
                    format!(
                        "`{key}` refers to unknown party \"{}\"; the parties are {}",
                        id.get_ref(),
                        known.join(", ")
                    ),
                )
            })
    }

    /// A required parameter that a party of some role must have.
    pub fn require(
        &self,
        span: Range<usize>,
        what: &str,
        key: &str,
        id: Option<ParamId>,
    ) -> Result<ParamId, ScenarioError> {
        id.ok_or_else(|| self.err(span, format!("{what} needs `{key}`")))
    }
}

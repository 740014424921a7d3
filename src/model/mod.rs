//! The simulated world's shared vocabulary: the components every family of provisions reads
//! or writes, the messages they exchange, and how a run's entities are found.
//!
//! One World holds a batch of runs. Each run owns a root entity (with [`Run`], [`Clock`],
//! [`Outcome`], [`RunParams`], [`Roster`] and the run-wide state of the families) and one
//! entity per party of the scenario (states, blocs, alliances, bodies, funds), each tagged with
//! [`Party`] pointing back at its run. Components that belong to one family of provisions live
//! in that family's module; this module holds the ones several families share. Spawning and
//! resetting runs is in [`spawn`].

mod chacha;
pub mod rng;
pub mod spawn;

use crate::provisions::kind::{Kind, KindSet};
use crate::scenario::{MAX_PARAMS, ParamId};
use bevy_ecs::prelude::*;

pub use rng::{Draws, HazardClock, Site, Stream, sites};

/// The most parties a scenario may have (states, blocs, alliances, bodies, funds).
pub const MAX_PARTIES: usize = 24;

/// Number of provision kinds; per-kind arrays are indexed by `Kind as usize`.
pub const KINDS: usize = Kind::ALL.len();

/// The root entity of one run in a batch.
#[derive(Component, Debug, Clone, Copy)]
pub struct Run {
    /// The slot of its World the run occupies.
    pub slot: u32,
    /// Position of the run's task in its job (orders the output).
    pub task: u64,
    /// The run's index (0-based); with the master seed it decides the run's seed.
    pub index: u64,
    /// The run's derived seed.
    pub seed: u64,
    /// Which variant of the scenario (design point) this run belongs to.
    pub variant: u32,
    /// True while the run is being simulated; false once it ended or when its slot is idle.
    pub live: bool,
}

/// Simulated time of one run.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Clock {
    /// Day at the end of the current tick (0 before the first tick).
    pub day: f64,
    /// Length of the current tick in days (the last tick may be shorter, to end at the horizon).
    pub dt: f64,
    /// Days per tick.
    pub tick_days: f64,
    /// The horizon in days.
    pub horizon: f64,
    /// Ticks run so far.
    pub tick: u32,
}

impl Clock {
    /// Years since the agreement was signed.
    pub fn years(&self) -> f64 {
        self.day / crate::scenario::DAYS_PER_YEAR
    }
}

/// Why a run collapsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cause {
    /// The withdrawal to agreed points did not finish by its deadline, so the ceasefire never
    /// took effect.
    WithdrawalFailed,
    /// A side chose renewed large-scale war (the index of the side in `conflict.sides`).
    Offensive(u8),
    /// An incident escalated into large-scale war.
    Escalation,
}

/// How a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    /// Still being simulated.
    #[default]
    Running,
    /// Reached the horizon without collapsing.
    Held,
    /// Collapsed into renewed large-scale war.
    Collapsed,
}

/// The end of a run.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Outcome {
    /// Running, held or collapsed.
    pub status: Status,
    /// Day of collapse (or of the horizon when held).
    pub day: f64,
    /// Why it collapsed.
    pub cause: Option<Cause>,
}

impl Outcome {
    /// Marks the run collapsed at `day` for `cause`, unless it already ended, or collapsed
    /// earlier. Events within a tick are dated at its end, except a failed withdrawal, which
    /// is dated on its deadline: when both end a run in one tick, the earlier is its cause,
    /// whatever the order of the systems that found them.
    pub fn collapse(&mut self, day: f64, cause: Cause) {
        if self.status == Status::Running || (self.status == Status::Collapsed && day < self.day) {
            self.status = Status::Collapsed;
            self.day = day;
            self.cause = Some(cause);
        }
    }

    /// True while the run has not ended.
    pub fn running(&self) -> bool {
        self.status == Status::Running
    }
}

/// A run's parameter values (canonical units), indexed by [`ParamId`], padded to
/// [`MAX_PARAMS`]. A power-of-two table lets a look-up mask its index instead of checking it
/// against a length: parameters are read on every tick of every run, and the scenario's
/// loader guarantees that every id is below [`MAX_PARAMS`].
#[derive(Debug, Clone)]
pub struct ParamValues(std::sync::Arc<[f64; MAX_PARAMS]>);

impl ParamValues {
    /// The table holding `values` (at most [`MAX_PARAMS`] of them; the rest are 0).
    ///
    /// # Panics
    /// When given more than [`MAX_PARAMS`] values, which a loaded scenario never has.
    pub fn new(values: &[f64]) -> ParamValues {
        let mut table = [0.0; MAX_PARAMS];
        table[..values.len()].copy_from_slice(values);
        ParamValues(std::sync::Arc::new(table))
    }

    /// The value of a parameter.
    #[inline]
    pub fn get(&self, id: ParamId) -> f64 {
        self.0[id.0 as usize & (MAX_PARAMS - 1)]
    }

    /// A copy with `id` set to `value`.
    pub fn with(&self, id: ParamId, value: f64) -> ParamValues {
        let mut table = *self.0;
        table[id.0 as usize] = value;
        ParamValues(std::sync::Arc::new(table))
    }
}

impl Default for ParamValues {
    fn default() -> Self {
        ParamValues::new(&[])
    }
}

/// A run's parameter values and the provisions in force. The values are shared: runs of a
/// variant without uncertain parameters all point at the variant's values, and a run's sides
/// read the same copy as its root.
#[derive(Component, Debug, Clone, Default)]
pub struct RunParams {
    /// Values of every parameter for this run.
    pub values: ParamValues,
    /// Kinds in force (present in the scenario and not disabled).
    pub enabled: KindSet,
}

impl RunParams {
    /// The value of a parameter.
    #[inline]
    pub fn v(&self, id: ParamId) -> f64 {
        self.values.get(id)
    }

    /// True when a kind is in force.
    #[inline]
    pub fn on(&self, kind: Kind) -> bool {
        self.enabled.has(kind)
    }

    /// A provision's configuration when it is in force in this run.
    #[inline]
    pub fn active<'a, T>(&self, kind: Kind, config: &'a Option<T>) -> Option<&'a T> {
        config.as_ref().filter(|_| self.on(kind))
    }
}

/// The entities of a run's parties, by party index, and its two sides.
#[derive(Component, Debug, Clone, Copy)]
pub struct Roster {
    /// Party entities by index in the scenario (unused slots hold the run's own entity).
    pub parties: [Entity; MAX_PARTIES],
    /// The two armed sides (`conflict.sides`).
    pub sides: [Entity; 2],
}

/// Tags a party's entity with its index and its run.
#[derive(Component, Debug, Clone, Copy)]
pub struct Party {
    /// Index in the scenario's party list.
    pub idx: u8,
    /// The run's root entity.
    pub run: Entity,
}

/// One of the two armed sides of the conflict.
#[derive(Component, Debug, Clone, Copy)]
pub struct Side {
    /// 0 or 1: position in `conflict.sides`.
    pub index: u8,
    /// The other side's entity.
    pub opponent: Entity,
}

/// Military capabilities of an armed side.
#[derive(Component, Debug, Clone, Copy, Default, PartialEq)]
pub struct Capabilities {
    /// Military personnel.
    pub personnel: f64,
    /// Combat power per 1,000 personnel (an index; equipment, training, air power).
    pub quality: f64,
    /// Personnel at the start of the run.
    pub initial_personnel: f64,
}

impl Capabilities {
    /// Combat power: thousands of personnel times quality.
    #[inline]
    pub fn combat_power(&self) -> f64 {
        self.personnel / 1000.0 * self.quality
    }
}

/// An armed side's disposition.
#[derive(Component, Debug, Clone, Copy, Default, PartialEq)]
pub struct Posture {
    /// Trust that the other side will comply, in [0, 1].
    pub trust: f64,
    /// War-weariness of society and forces, in [0, 1].
    pub weariness: f64,
    /// Hostility towards the other side, in [0, 1].
    pub hostility: f64,
    /// How much the leadership values its unmet territorial claims (1 = as at signing).
    pub resolve: f64,
    /// Perceived threat from the other side and its partners, in [0, 1].
    pub threat: f64,
}

/// Commitments of a side: what it violated, what monitors attributed to it, and when.
#[derive(Component, Debug, Clone, Copy)]
pub struct Commitments {
    /// Violations committed, by kind of provision (ground truth).
    pub committed: [u16; KINDS],
    /// Violations the monitors attributed to this side (including wrong attributions).
    pub attributed: [u16; KINDS],
    /// Day of the first committed violation by kind (negative when none).
    pub first_violation: [f32; KINDS],
}

impl Default for Commitments {
    fn default() -> Self {
        Commitments {
            committed: [0; KINDS],
            attributed: [0; KINDS],
            first_violation: [-1.0; KINDS],
        }
    }
}

impl Commitments {
    /// Records a committed violation of `kind` on `day`.
    pub fn commit(&mut self, kind: Kind, day: f64) {
        let k = kind as usize;
        self.committed[k] = self.committed[k].saturating_add(1);
        if self.first_violation[k] < 0.0 {
            self.first_violation[k] = day as f32;
        }
    }

    /// Total committed violations.
    pub fn total_committed(&self) -> u32 {
        self.committed.iter().map(|&c| u32::from(c)).sum()
    }

    /// Total attributed violations.
    pub fn total_attributed(&self) -> u32 {
        self.attributed.iter().map(|&c| u32::from(c)).sum()
    }
}

/// A side's calculus of renewed war, rebuilt every tick: the core terms and what each
/// provision adds. Positive terms push towards attacking, negative terms hold the side back.
/// Units are utility, a scale of each side's own that the scenario's weights set (each
/// side's territory value, war cost, stakes and audience costs are all expressed on it); only
/// sums and differences on one side's scale are meaningful.
#[derive(Component, Debug, Clone, Copy)]
pub struct Ledger {
    /// Expected territorial gain: claims × resolve × chance of winning.
    pub territory: f64,
    /// Pre-emption: perceived threat × its weight.
    pub threat: f64,
    /// Expected cost of the war itself, scaled by war-weariness (entered as a positive number).
    pub war_cost: f64,
    /// What each provision adds (by kind), positive towards attacking.
    pub terms: [f64; KINDS],
    /// Chance that an offensive by this side would win, before any guarantor response.
    pub p_win: f64,
}

impl Default for Ledger {
    fn default() -> Self {
        Ledger {
            territory: 0.0,
            threat: 0.0,
            war_cost: 0.0,
            terms: [0.0; KINDS],
            p_win: 0.0,
        }
    }
}

impl Ledger {
    /// Net utility of attacking now. The terms are summed in the order of their kinds, not
    /// the order in which systems wrote them, so the result does not depend on how the
    /// schedule happens to order systems that run in the same phase.
    #[inline]
    pub fn net(&self) -> f64 {
        self.territory + self.threat - self.war_cost + self.terms_total()
    }

    /// The sum of the provisions' terms, in a fixed order: four running sums over the kinds
    /// (kind k goes to sum k mod 4), then the four added pairwise. Terms not written this tick
    /// are zero. The order does not depend on which systems wrote the terms, or when.
    #[inline]
    pub fn terms_total(&self) -> f64 {
        let mut acc = [0.0f64; 4];
        let chunks = self.terms.chunks_exact(4);
        let rest: f64 = chunks.remainder().iter().sum();
        for c in chunks {
            acc[0] += c[0];
            acc[1] += c[1];
            acc[2] += c[2];
            acc[3] += c[3];
        }
        (acc[0] + acc[1]) + (acc[2] + acc[3]) + rest
    }

    /// Adds `value` to the term of `kind`.
    #[inline]
    pub fn add(&mut self, kind: Kind, value: f64) {
        self.terms[kind as usize] += value;
    }

    /// Clears every term for a new tick, and sets the core terms.
    #[inline]
    pub fn reset(&mut self, p_win: f64, territory: f64, threat: f64, war_cost: f64) {
        self.terms = [0.0; KINDS];
        self.p_win = p_win;
        self.territory = territory;
        self.threat = threat;
        self.war_cost = war_cost;
    }
}

/// The kinds of provision that give a side a stake in the peace.
pub const STAKE_KINDS: [Kind; 7] = [
    Kind::Territory,
    Kind::EuAccess,
    Kind::Reconstruction,
    Kind::SanctionsRelief,
    Kind::FrozenAssets,
    Kind::PowerPlant,
    Kind::TradeRoutes,
];

const NO_STAKE: u8 = u8::MAX;

/// Position of each kind in [`STAKE_KINDS`] ([`NO_STAKE`] for kinds that give no stake).
const STAKE_INDEX: [u8; KINDS] = {
    let mut index = [NO_STAKE; KINDS];
    let mut i = 0;
    while i < STAKE_KINDS.len() {
        index[STAKE_KINDS[i] as usize] = i as u8;
        i += 1;
    }
    index
};

/// What each side would lose by renewed war, by the provision that gives it (utility), before
/// any snapback or revocation clause decides how much of it is actually lost. Written by the
/// families in [`crate::engine::TickSystems::Implement`]; priced by `guarantee-terms`.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Stakes(pub [[f64; STAKE_KINDS.len()]; 2]);

impl Stakes {
    /// Adds a stake of side `s` from provision `kind` (one of [`STAKE_KINDS`]).
    #[inline]
    pub fn add(&mut self, s: usize, kind: Kind, value: f64) {
        let i = STAKE_INDEX[kind as usize];
        assert!(i != NO_STAKE, "only the kinds in STAKE_KINDS give stakes");
        self.0[s][i as usize] += value;
    }

    /// The stake of side `s` from provision `kind` (0 for kinds that give no stake).
    pub fn get(&self, s: usize, kind: Kind) -> f64 {
        match STAKE_INDEX[kind as usize] {
            NO_STAKE => 0.0,
            i => self.0[s][i as usize],
        }
    }

    /// Total stake of side `s`.
    pub fn total(&self, s: usize) -> f64 {
        self.0[s].iter().sum()
    }
}

/// Run-wide tension from recent incidents; it decays, and it raises the chance that an
/// incident escalates.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Tension(pub f64);

/// Whether the ceasefire is in effect (before it, fighting goes on while forces withdraw).
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Ceasefire {
    /// True once the ceasefire has taken effect.
    pub in_effect: bool,
    /// Day it took effect (negative before).
    pub since: f64,
}

/// What a run's provisions do that stays the same for the whole run, priced once when the
/// run starts by each family's `baseline` function: the modifiers every tick starts from,
/// and the constant ledger terms of each side (audience costs, and grievances that scale with
/// the side's chance of winning). It is split into [`BaseModifiers`] on the run's root and a
/// [`LedgerBase`] on each side.
#[derive(Debug, Clone, Copy)]
pub struct Baseline {
    /// The modifiers each tick starts from.
    pub modifiers: Modifiers,
    /// Constant ledger terms, by side and kind.
    pub terms: [[f64; KINDS]; 2],
    /// Ledger terms that are multiplied by the side's chance of winning, by side and kind.
    pub per_p_win: [[f64; KINDS]; 2],
}

impl Baseline {
    /// A baseline with the given starting modifiers and no terms.
    pub fn new(modifiers: Modifiers) -> Baseline {
        Baseline {
            modifiers,
            terms: [[0.0; KINDS]; 2],
            per_p_win: [[0.0; KINDS]; 2],
        }
    }

    /// Adds a constant term for side `s`.
    pub fn term(&mut self, s: usize, kind: Kind, value: f64) {
        self.terms[s][kind as usize] += value;
    }

    /// Adds a term for side `s` that scales with its chance of winning.
    pub fn term_per_p_win(&mut self, s: usize, kind: Kind, value: f64) {
        self.per_p_win[s][kind as usize] += value;
    }
}

/// The modifiers every tick of a run starts from (the modifiers of its [`Baseline`]).
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct BaseModifiers(pub Modifiers);

/// The most kinds that can have a constant ledger term.
pub const MAX_BASE_TERMS: usize = 16;

/// A side's constant ledger terms (its half of the run's [`Baseline`]), kept compactly: only
/// the kinds that have a term.
#[derive(Component, Debug, Clone, Copy)]
pub struct LedgerBase {
    /// The kinds with a term.
    pub kinds: [u8; MAX_BASE_TERMS],
    /// Their constant parts.
    pub terms: [f64; MAX_BASE_TERMS],
    /// Their parts multiplied by the chance of winning.
    pub per_p_win: [f64; MAX_BASE_TERMS],
    /// How many kinds have a term.
    pub len: usize,
}

impl LedgerBase {
    /// Side `s`'s half of a baseline.
    pub fn of(b: &Baseline, s: usize) -> LedgerBase {
        let mut base = LedgerBase {
            kinds: [0; MAX_BASE_TERMS],
            terms: [0.0; MAX_BASE_TERMS],
            per_p_win: [0.0; MAX_BASE_TERMS],
            len: 0,
        };
        for k in 0..KINDS {
            if b.terms[s][k] != 0.0 || b.per_p_win[s][k] != 0.0 {
                assert!(
                    base.len < MAX_BASE_TERMS,
                    "more kinds with constant terms than MAX_BASE_TERMS"
                );
                base.kinds[base.len] = k as u8;
                base.terms[base.len] = b.terms[s][k];
                base.per_p_win[base.len] = b.per_p_win[s][k];
                base.len += 1;
            }
        }
        base
    }

    /// Writes the constant terms, at chance of winning `p_win`, into a cleared ledger.
    #[inline]
    pub fn apply(&self, ledger: &mut Ledger, p_win: f64) {
        for i in 0..self.len {
            let v = self.terms[i] + self.per_p_win[i] * p_win;
            ledger.add(Kind::ALL[self.kinds[i] as usize], v);
        }
    }
}

/// What provisions set on the run for the current tick: multipliers and probabilities on
/// incidents, their detection and escalation, perceived threat and defensive power. Restored
/// to the run's constant modifiers in [`crate::engine::TickSystems::Begin`], changed in
/// [`crate::engine::TickSystems::Implement`]; read afterwards.
#[derive(Component, Debug, Clone, Copy)]
pub struct Modifiers {
    /// Multiplier on each side's incident rate.
    pub incident_mult: [f64; 2],
    /// Multiplier on the chance that an incident escalates.
    pub escalation_mult: f64,
    /// Chance that a violation is detected.
    pub detection: f64,
    /// Chance that a detected violation is attributed to the side that committed it.
    pub attribution: f64,
    /// Chance that an attributed violation is sanctioned.
    pub enforcement: f64,
    /// Multiplier on each side's perceived threat.
    pub threat_mult: [f64; 2],
    /// Combat power added to each side when it defends (allied forces and aircraft).
    pub defence_bonus: [f64; 2],
    /// Multiplier on the speed at which hostility decays.
    pub hostility_decay_mult: f64,
    /// Multiplier on the speed at which tension decays.
    pub tension_decay_mult: f64,
    /// Chance added to the guarantors' military response (tripwires, nearby aircraft).
    pub response_boost: f64,
    /// Share of the demilitarised zone formed (for incursions).
    pub zone: f64,
    /// Units of the shared power plant running (for disruptions).
    pub plant_units: f64,
}

impl Default for Modifiers {
    fn default() -> Self {
        Modifiers {
            incident_mult: [1.0; 2],
            escalation_mult: 1.0,
            detection: 0.0,
            attribution: 0.5,
            enforcement: 0.0,
            threat_mult: [1.0; 2],
            defence_bonus: [0.0; 2],
            hostility_decay_mult: 1.0,
            tension_decay_mult: 1.0,
            response_boost: 0.0,
            zone: 0.0,
            plant_units: 0.0,
        }
    }
}

/// How far each provision was implemented, in [0, 1], by kind (NaN when not applicable).
#[derive(Component, Debug, Clone, Copy)]
pub struct Implementation(pub [f32; KINDS]);

impl Default for Implementation {
    fn default() -> Self {
        Implementation([f32::NAN; KINDS])
    }
}

impl Implementation {
    /// Sets the implementation level of `kind`.
    #[inline]
    pub fn set(&mut self, kind: Kind, level: f64) {
        self.0[kind as usize] = level.clamp(0.0, 1.0) as f32;
    }
}

/// Per-run counters written to `runs.csv`.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Tally {
    /// Incidents (all kinds) by side.
    pub incidents: [u32; 2],
    /// Incidents detected by the monitors.
    pub detected: u32,
    /// Detected incidents attributed to the wrong side.
    pub misattributed: u32,
    /// Sanctions the monitoring body imposed.
    pub sanctions_imposed: u32,
}

/// The most regions a scenario may settle.
pub const MAX_REGIONS: usize = 16;

/// Control of the regions the agreement settles: the share of each region held by the first
/// side (by region index; the other side holds the rest).
#[derive(Component, Debug, Clone, Copy, Default, PartialEq)]
pub struct Territory {
    /// Share held by side 0, by region.
    pub held: [f64; MAX_REGIONS],
    /// True for regions that are demilitarised (neither side may keep forces there).
    pub demilitarised: [bool; MAX_REGIONS],
    /// Percentage points of the contested country each side claims but does not hold
    /// (recomputed whenever control changes).
    pub unmet: [f64; 2],
}

/// What kind of incident or violation happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentKind {
    /// Fire or a raid across the line of contact (a ceasefire violation).
    ContactLine,
    /// Forces entering the demilitarised zone.
    ZoneIncursion,
    /// Interdiction of shipping on the river or at sea.
    Shipping,
    /// Disruption at the shared nuclear plant.
    PlantDisruption,
    /// A missile strike on the other side's capital without cause.
    CapitalStrike,
    /// Personnel kept above an agreed cap.
    CapBreach,
}

impl IncidentKind {
    /// The provision this incident violates.
    pub fn violates(self) -> Kind {
        match self {
            IncidentKind::ContactLine => Kind::Ceasefire,
            IncidentKind::ZoneIncursion => Kind::Territory,
            IncidentKind::Shipping => Kind::TradeRoutes,
            IncidentKind::PlantDisruption => Kind::PowerPlant,
            IncidentKind::CapitalStrike => Kind::GuaranteeTerms,
            IncidentKind::CapBreach => Kind::ForceCap,
        }
    }

    /// True when the incident is armed violence that can escalate.
    pub fn violent(self) -> bool {
        !matches!(self, IncidentKind::CapBreach)
    }
}

/// An incident: emitted by the side that causes it; read by monitors and by the side that
/// suffers it. Besides what happened, it carries the facts of its run that its readers need
/// and that do not change within a tick (the day, the sides, the monitors' chances), copied
/// from the causing side's [`RunView`](crate::engine::view::RunView) by
/// [`RunView::incident`](crate::engine::view::RunView::incident), so that a reader looks up
/// only the run state it changes.
#[derive(Message, Debug, Clone, Copy)]
pub struct Incident {
    /// The run's root entity.
    pub run: Entity,
    /// The run's task: a root entity is reused by later runs, and a message must never reach
    /// a run it was not written for.
    pub task: u64,
    /// The run's two sides' entities.
    pub sides: [Entity; 2],
    /// Day of the tick in which it happened.
    pub day: f64,
    /// The monitors' chance of detecting a violation this tick ([`Modifiers::detection`]).
    pub detection: f64,
    /// The monitors' chance of attributing a detected violation to the side that committed it
    /// ([`Modifiers::attribution`]).
    pub attribution: f64,
    /// This tick's multiplier of the chance that an incident escalates
    /// ([`Modifiers::escalation_mult`]).
    pub escalation_mult: f64,
    /// The side that caused it (0 or 1).
    pub by: u8,
    /// What happened.
    pub kind: IncidentKind,
    /// Weight of the incident in the escalation and tension it causes (1 = a serious
    /// incident on the line of contact).
    pub severity: f64,
    /// True when it breaks a commitment in force (fighting before the ceasefire does not).
    pub violation: bool,
}

/// A violation the monitors detected, with the side they attributed it to.
#[derive(Message, Debug, Clone, Copy)]
pub struct Attributed {
    /// The run's root entity.
    pub run: Entity,
    /// The run's task (see [`Incident::task`]).
    pub task: u64,
    /// The side that really caused it.
    pub by: u8,
    /// The side the monitors blamed.
    pub blamed: u8,
    /// What happened.
    pub kind: IncidentKind,
    /// Day it was attributed.
    pub day: f64,
}

/// A sanction the monitoring body imposed on a side for a violation, taking effect now.
#[derive(Message, Debug, Clone, Copy)]
pub struct SanctionImposed {
    /// The run's root entity.
    pub run: Entity,
    /// The sanctioned side (0 or 1).
    pub side: u8,
    /// Day it takes effect.
    pub day: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_values_are_read_back_by_id_and_a_copy_changes_one() {
        let values: Vec<f64> = (0..179).map(|i| i as f64 * 0.5).collect();
        let p = ParamValues::new(&values);
        for (i, &v) in values.iter().enumerate() {
            assert_eq!(p.get(ParamId(i as u16)), v);
        }
        let q = p.with(ParamId(178), -1.0);
        assert_eq!((p.get(ParamId(178)), q.get(ParamId(178))), (89.0, -1.0));
        assert_eq!(q.get(ParamId(177)), 88.5);
    }

    #[test]
    fn a_run_collapses_for_the_earliest_dated_cause_and_the_first_of_equal_dates() {
        let mut o = Outcome::default();
        o.collapse(182.0, Cause::Escalation);
        o.collapse(182.0, Cause::Offensive(0));
        assert_eq!((o.day, o.cause), (182.0, Some(Cause::Escalation)));
        // A withdrawal that failed on day 180, found later in the same tick, takes its place.
        o.collapse(180.0, Cause::WithdrawalFailed);
        assert_eq!((o.day, o.cause), (180.0, Some(Cause::WithdrawalFailed)));
        assert_eq!(o.status, Status::Collapsed);
        // A run that held is not reopened.
        let mut held = Outcome {
            status: Status::Held,
            ..Outcome::default()
        };
        held.collapse(10.0, Cause::Escalation);
        assert_eq!(held.status, Status::Held);
    }

    #[test]
    fn a_ledger_sums_its_terms_in_the_same_order_whichever_system_wrote_first() {
        // Values whose float sum depends on the order of addition.
        let writes = [
            (Kind::SecurityGuarantee, 0.1),
            (Kind::FrozenAssets, 1e16),
            (Kind::ForceCap, -1e16),
            (Kind::Territory, 0.3),
            (Kind::SecurityGuarantee, 0.2),
        ];
        let mut forward = Ledger::default();
        forward.reset(0.5, 1.0, 0.2, 0.7);
        for &(k, v) in &writes {
            forward.add(k, v);
        }
        let mut backward = Ledger::default();
        backward.reset(0.5, 1.0, 0.2, 0.7);
        for &(k, v) in writes.iter().rev() {
            backward.add(k, v);
        }
        assert_eq!(forward.net().to_bits(), backward.net().to_bits());
        // A reset clears every term written.
        forward.reset(0.5, 1.0, 0.2, 0.7);
        assert_eq!(forward.terms_total(), 0.0);
        assert!(forward.terms.iter().all(|&t| t == 0.0));
    }
}

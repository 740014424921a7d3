//! The kinds of provision the engine can model, and sets of them.
//!
//! A kind is a mechanism; a scenario binds a kind to a point number of its agreement. This
//! file owns the catalogue (names, families, one-line mechanism and the state each touches)
//! that `truce provisions` prints and `docs/MODEL.md` mirrors. It holds no behaviour.

/// A kind of provision (a mechanism). The discriminant is its position in [`Kind::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Kind {
    Sovereignty,
    NonAggressionPact,
    NoExpansion,
    Dialogue,
    SecurityGuarantee,
    ForceCap,
    AllianceBar,
    NoForeignTroops,
    AirPowerNearby,
    GuaranteeTerms,
    EuAccess,
    Reconstruction,
    SanctionsRelief,
    FrozenAssets,
    WorkingGroup,
    NonAggressionLaw,
    ArmsControl,
    NonNuclear,
    PowerPlant,
    Tolerance,
    Territory,
    NoChangeByForce,
    TradeRoutes,
    Humanitarian,
    Elections,
    Amnesty,
    PeaceCouncil,
    Ceasefire,
}

/// What the catalogue says about one kind.
#[derive(Debug, Clone, Copy)]
pub struct KindInfo {
    /// The name used in scenario files (`kind = "force-cap"`).
    pub name: &'static str,
    /// The module of `src/provisions/` that implements it.
    pub family: &'static str,
    /// The mechanism in one line.
    pub mechanism: &'static str,
    /// The state it changes.
    pub touches: &'static str,
}

impl Kind {
    /// Every kind, in catalogue order (the order of the 28-point plan's points).
    pub const ALL: [Kind; 28] = [
        Kind::Sovereignty,
        Kind::NonAggressionPact,
        Kind::NoExpansion,
        Kind::Dialogue,
        Kind::SecurityGuarantee,
        Kind::ForceCap,
        Kind::AllianceBar,
        Kind::NoForeignTroops,
        Kind::AirPowerNearby,
        Kind::GuaranteeTerms,
        Kind::EuAccess,
        Kind::Reconstruction,
        Kind::SanctionsRelief,
        Kind::FrozenAssets,
        Kind::WorkingGroup,
        Kind::NonAggressionLaw,
        Kind::ArmsControl,
        Kind::NonNuclear,
        Kind::PowerPlant,
        Kind::Tolerance,
        Kind::Territory,
        Kind::NoChangeByForce,
        Kind::TradeRoutes,
        Kind::Humanitarian,
        Kind::Elections,
        Kind::Amnesty,
        Kind::PeaceCouncil,
        Kind::Ceasefire,
    ];

    /// The kind with this scenario name.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.info().name == name)
    }

    /// All scenario names, for error messages.
    pub fn names() -> Vec<&'static str> {
        Kind::ALL.iter().map(|k| k.info().name).collect()
    }

    /// The catalogue entry.
    pub fn info(self) -> KindInfo {
        let (name, family, mechanism, touches) = match self {
            Kind::Sovereignty => (
                "sovereignty",
                "diplomacy",
                "confirmed sovereignty makes an attack a breach of an explicit recognition: an audience cost for the attacker",
                "ledger (cost of attacking)",
            ),
            Kind::NonAggressionPact => (
                "non-aggression-pact",
                "diplomacy",
                "a formal non-aggression agreement lowers each side's threat perception and adds a cost to breaking it",
                "posture (threat), ledger (cost)",
            ),
            Kind::NoExpansion => (
                "no-expansion",
                "diplomacy",
                "a commitment that the alliance will not enlarge meets one side's stated aim; without it that side holds a grievance it could pursue by force and perceives more threat",
                "ledger (grievance), posture (threat)",
            ),
            Kind::Dialogue => (
                "dialogue",
                "diplomacy",
                "a mediated dialogue channel resolves some disputes: fewer incidents escalate, and the side whose concerns it addresses perceives less threat",
                "friction (escalation), posture (threat)",
            ),
            Kind::SecurityGuarantee => (
                "security-guarantee",
                "guarantee",
                "guarantors respond militarily to an attack with a probability set by their willingness, which changes with their elections",
                "guarantee (validity, response probability), ledger (expected cost of attack)",
            ),
            Kind::ForceCap => (
                "force-cap",
                "forces",
                "a side's personnel fall to the cap over a demobilisation period; under threat it may hedge above the cap, a detectable violation",
                "capabilities (personnel), commitments (violations), balance of forces",
            ),
            Kind::AllianceBar => (
                "alliance-bar",
                "diplomacy",
                "a permanent bar on alliance membership removes one side's grievance and adds to the other's insecurity",
                "ledger (grievance), posture (threat), memberships",
            ),
            Kind::NoForeignTroops => (
                "no-foreign-troops",
                "forces",
                "no allied troops on the protected side's soil: no tripwire, but no grievance; without it a reassurance force deters and provokes",
                "balance of forces, guarantee (response), ledger (grievance)",
            ),
            Kind::AirPowerNearby => (
                "air-power-nearby",
                "forces",
                "allied fighter aircraft stationed nearby add defensive power and make a guarantor's response more credible",
                "balance of forces, guarantee (response)",
            ),
            Kind::GuaranteeTerms => (
                "guarantee-terms",
                "guarantee",
                "the guarantor is compensated (more committed); the guarantee is void if the protected side strikes the other's capital without cause (an attack by the protected side ends the run anyway); an attack by the other side snaps back all sanctions and revokes recognition and every benefit, so it loses all its stakes",
                "guarantee (validity), ledger (stakes lost on attack)",
            ),
            Kind::EuAccess => (
                "eu-access",
                "economy",
                "preferential market access and a path to membership grow the protected side's economy and what it would lose by fighting",
                "economy, memberships, ledger (stake)",
            ),
            Kind::Reconstruction => (
                "reconstruction",
                "economy",
                "development and World Bank finance flow into the protected side's economy; suspended as a sanction for violations",
                "funds, economy, ledger (stake)",
            ),
            Kind::SanctionsRelief => (
                "sanctions-relief",
                "sanctions",
                "sanctions on one side are lifted in phases after reviews of its compliance, with club readmission; rolled back for violations",
                "sanctions state, memberships (club), ledger (stake)",
            ),
            Kind::FrozenAssets => (
                "frozen-assets",
                "economy",
                "frozen assets are invested in reconstruction (profits split with the guarantor) and in a joint vehicle whose value the sanctioned side loses if it attacks",
                "funds (balances and flows), ledger (stake), guarantee (willingness)",
            ),
            Kind::WorkingGroup => (
                "working-group",
                "monitoring",
                "a joint working group adds detection and attribution capacity and a channel that keeps incidents from escalating",
                "friction (detection, attribution, escalation)",
            ),
            Kind::NonAggressionLaw => (
                "non-aggression-law",
                "diplomacy",
                "a law of non-aggression raises the domestic audience cost of an attack",
                "ledger (cost of attacking)",
            ),
            Kind::ArmsControl => (
                "arms-control",
                "diplomacy",
                "extended nuclear arms-control treaties lower tension and the chance that an incident escalates",
                "friction (escalation), tension",
            ),
            Kind::NonNuclear => (
                "non-nuclear",
                "forces",
                "the protected side stays non-nuclear: one grievance and one source of threat removed",
                "ledger (grievance), posture (threat)",
            ),
            Kind::PowerPlant => (
                "power-plant",
                "economy",
                "a nuclear plant restarts under international supervision and its output is shared; both sides lose their share if war resumes; its disruption is an incident",
                "power output and shares, ledger (stake), incidents",
            ),
            Kind::Tolerance => (
                "tolerance",
                "society",
                "education and minority-rights programmes make hostility decay faster and remove a stated pretext",
                "posture (hostility), ledger (grievance)",
            ),
            Kind::Territory => (
                "territory",
                "territory",
                "regions change control as agreed (recognition, frozen lines, returns); recognition is a stake its holder would put at risk by attacking; a demilitarised zone separates forces and lowers incidents; entering it is a violation",
                "territory (control by region), claims, friction (incidents), stakes (recognition)",
            ),
            Kind::NoChangeByForce => (
                "no-change-by-force",
                "territory",
                "both sides undertake not to change the arrangements by force; a breach by the protected side voids the guarantees",
                "guarantee (validity), ledger (cost of attacking)",
            ),
            Kind::TradeRoutes => (
                "trade-routes",
                "economy",
                "free use of river and sea routes adds export income that is lost in war; an interdiction is an incident",
                "economy, ledger (stake), incidents",
            ),
            Kind::Humanitarian => (
                "humanitarian",
                "society",
                "a committee exchanges prisoners and returns civilians in rounds; completed rounds build trust, stalled ones erode it",
                "posture (trust)",
            ),
            Kind::Elections => (
                "elections",
                "society",
                "an election soon after signing can bring a government that resents the concessions (more resolve, less trust) or one that embraces peace",
                "posture (resolve, trust, hostility)",
            ),
            Kind::Amnesty => (
                "amnesty",
                "society",
                "a full amnesty leaves fewer spoilers with a stake in renewed fighting, at a cost in domestic backlash",
                "friction (incidents), elections (backlash)",
            ),
            Kind::PeaceCouncil => (
                "peace-council",
                "monitoring",
                "a council monitors compliance: it detects and attributes violations (sometimes wrongly) and, after a delay, sanctions the violator; its chair's term ends",
                "friction (detection, attribution), sanctions, commitments",
            ),
            Kind::Ceasefire => (
                "ceasefire",
                "territory",
                "the ceasefire takes effect once both sides have withdrawn to agreed points; stalls can make the withdrawal miss its deadline",
                "phase of the agreement, withdrawal progress",
            ),
        };
        KindInfo {
            name,
            family,
            mechanism,
            touches,
        }
    }

    /// Bit of this kind in a [`KindSet`].
    fn bit(self) -> u32 {
        1 << (self as u8)
    }
}

/// A set of kinds (which provisions are in force in a run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct KindSet(u32);

impl KindSet {
    /// The empty set.
    pub const EMPTY: KindSet = KindSet(0);

    /// True when `kind` is in the set.
    #[inline]
    pub fn has(self, kind: Kind) -> bool {
        self.0 & kind.bit() != 0
    }

    /// Adds `kind`.
    pub fn insert(&mut self, kind: Kind) {
        self.0 |= kind.bit();
    }

    /// Removes `kind`.
    pub fn remove(&mut self, kind: Kind) {
        self.0 &= !kind.bit();
    }

    /// The kinds in the set, in catalogue order.
    pub fn iter(self) -> impl Iterator<Item = Kind> {
        Kind::ALL.into_iter().filter(move |k| self.has(*k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let names = Kind::names();
        for (i, n) in names.iter().enumerate() {
            assert_eq!(Kind::from_name(n), Some(Kind::ALL[i]));
            assert!(!names[..i].contains(n), "duplicate name {n}");
        }
        assert_eq!(Kind::from_name("nope"), None);
    }

    #[test]
    fn discriminants_match_catalogue_order() {
        for (i, k) in Kind::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i);
        }
    }

    #[test]
    fn kind_set_inserts_and_removes() {
        let mut s = KindSet::EMPTY;
        s.insert(Kind::ForceCap);
        s.insert(Kind::Ceasefire);
        assert!(s.has(Kind::ForceCap) && s.has(Kind::Ceasefire) && !s.has(Kind::Amnesty));
        s.remove(Kind::ForceCap);
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![Kind::Ceasefire]);
    }
}

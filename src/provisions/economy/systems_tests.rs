//! Tests of the economy family's systems on a World of one run: the funds' books and flows
//! (the development package, the frozen-asset venture and the joint vehicle), the shared power
//! plant and its 50:50 split, accession to the EU, the suspension of reconstruction after a
//! council sanction, the stakes each provision gives, and the incidents it makes possible.

use super::*;
use crate::engine::Variant;
use crate::model::{Commitments, Ledger, Modifiers, Stakes, Tally};
use crate::scenario::Scenario;
use crate::testing::{Sim, set};

/// Nothing collapses the run, and the council never sanctions on its own.
fn quiet(sc: &Scenario, v: &mut Variant) {
    crate::testing::quiet(sc, v);
    set(sc, v, "point.27.enforcement", 0.0);
}

fn fund(sim: &mut Sim, id: &str) -> Fund {
    let idx = sim.scenario.party_index(id).expect("known party");
    let funds: Funds = sim.get(sim.root());
    *funds.of(idx).expect("a fund party has books")
}

fn stake(sim: &mut Sim, side: usize, kind: Kind) -> f64 {
    sim.get::<Stakes>(sim.root()).get(side, kind)
}

const FUNDS: [&str; 3] = [
    "development-fund",
    "reconstruction-venture",
    "joint-vehicle",
];

#[test]
fn fund_books_balance_every_tick_and_the_funds_receive_the_agreed_sums() {
    let mut sim = Sim::new(1, quiet);
    for tick in 1..=522 {
        sim.ticks(1);
        for id in FUNDS {
            let f = fund(&mut sim, id);
            assert!(f.imbalance().abs() < 1e-9, "tick {tick}, {id}: {f:?}");
            assert!(f.balance >= -1e-12, "tick {tick}, {id}: {f:?}");
        }
        let venture = fund(&mut sim, "reconstruction-venture");
        let vehicle = fund(&mut sim, "joint-vehicle");
        let development = fund(&mut sim, "development-fund");
        // $100bn of frozen assets and $100bn from Europe; the other $200bn of the $300bn
        // frozen go to the joint vehicle; the development package is $100bn.
        assert_eq!(venture.inflow, 200.0);
        assert_eq!(vehicle.inflow, 200.0);
        assert_eq!(development.inflow, 100.0);
        // Half of the venture's profits go to the US; the vehicle keeps all of its own.
        assert!((venture.paid_out - 0.5 * venture.profit).abs() < 1e-9);
        assert_eq!(vehicle.paid_out, 0.0);
        let day = 7.0 * f64::from(tick);
        if tick == 10 {
            // Both invest at the deployment pace: $200bn over 5 years (1,825 days).
            assert!((venture.invested - 200.0 * day / 1825.0).abs() < 1e-9);
            assert!((vehicle.invested - 200.0 * day / 1825.0).abs() < 1e-9);
            assert!(venture.profit > 0.0 && vehicle.profit > 0.0);
            // Disbursements start on day 90.
            assert_eq!(development.invested, 0.0);
        }
        if tick == 13 {
            // $100bn spread evenly from day 90 to day 2,555 (7 years): one day's worth.
            assert!((development.invested - 100.0 / 2465.0).abs() < 1e-9);
        }
        if day >= 1825.0 {
            // After the deployment period everything held is invested, profits included.
            assert!(venture.balance.abs() < 1e-9 && vehicle.balance.abs() < 1e-9);
            assert!(venture.invested > 200.0 && vehicle.invested > 200.0);
        }
        if day >= 2555.0 {
            assert!((development.invested - 100.0).abs() < 1e-9);
        }
    }
    let o: Outcome = sim.get(sim.root());
    assert!(!o.running());
}

#[test]
fn the_funds_give_stakes_and_the_profits_commit_the_investor() {
    let mut sim = Sim::new(1, quiet);
    sim.ticks(300);
    let venture = fund(&mut sim, "reconstruction-venture");
    let vehicle = fund(&mut sim, "joint-vehicle");
    let development = fund(&mut sim, "development-fund");
    // Ukraine: 0.5 per $100bn invested by the venture, 0.6 per $100bn disbursed to it.
    let u = stake(&mut sim, 1, Kind::FrozenAssets);
    assert!((u - 0.5 * venture.invested / 100.0).abs() < 1e-12, "{u}");
    let r = stake(&mut sim, 1, Kind::Reconstruction);
    assert!(
        (r - 0.6 * development.invested / 100.0).abs() < 1e-12,
        "{r}"
    );
    // Russia: 0.6 per $100bn of its half of the vehicle.
    let v = stake(&mut sim, 0, Kind::FrozenAssets);
    let value = (vehicle.invested + vehicle.balance) * 0.5;
    assert!((v - 0.6 * value / 100.0).abs() < 1e-12, "{v}");
    assert_eq!(stake(&mut sim, 0, Kind::Reconstruction), 0.0);
    // The routes: 0.3 to the exporter, 0.1 to the other side.
    assert_eq!(stake(&mut sim, 1, Kind::TradeRoutes), 0.3);
    assert_eq!(stake(&mut sim, 0, Kind::TradeRoutes), 0.1);
    // Russia stands to lose its stake in the vehicle by attacking.
    let russia: Ledger = sim.get(sim.side(0));
    assert!((russia.terms[Kind::FrozenAssets as usize] + v).abs() < 1e-12);
    // The US gains 0.02 of willingness per $10bn of profits received (at most 0.1), on top of
    // the 0.05 the jets add.
    assert!(venture.paid_out > 5.0);
    let m: Modifiers = sim.get(sim.root());
    let commitment = (0.02 * venture.paid_out / 10.0).min(0.1);
    assert!((m.response_boost - 0.05 - commitment).abs() < 1e-12);
}

#[test]
fn plant_output_is_split_exactly_50_50_and_is_zero_before_the_first_unit() {
    let mut sim = Sim::new(1, quiet);
    // The ceasefire begins on day 63; the first unit restarts two years later, on day 793.
    sim.ticks(113); // day 791
    let plant: PowerPlantState = sim.get(sim.root());
    assert_eq!(plant, PowerPlantState::default());
    assert_eq!(stake(&mut sim, 0, Kind::PowerPlant), 0.0);
    sim.ticks(1); // day 798: one unit of 950 MWe at 80% for a week
    let plant: PowerPlantState = sim.get(sim.root());
    assert_eq!(plant.units_online, 1.0);
    assert!((plant.produced - 950.0 * 0.8 * 24.0 * 7.0).abs() < 1e-6);
    assert_eq!(plant.delivered[0], plant.delivered[1]);
    // Each side's stake: 0.05 per GW of average power received.
    let gw = 0.95 * 0.8;
    for s in 0..2 {
        assert!((stake(&mut sim, s, Kind::PowerPlant) - 0.05 * gw * 0.5).abs() < 1e-12);
    }
    // All six units run from day 63 + 1,825 on; every MWh produced is delivered, half each.
    sim.ticks(300);
    let plant: PowerPlantState = sim.get(sim.root());
    assert_eq!(plant.units_online, 6.0);
    assert_eq!(plant.delivered[0], plant.delivered[1]);
    let delivered = plant.delivered[0] + plant.delivered[1];
    assert!((delivered - plant.produced).abs() < 1e-9 * plant.produced);
}

#[test]
fn eu_accession_makes_ukraines_membership_active() {
    let mut sim = Sim::new(1, |sc, v| {
        quiet(sc, v);
        set(sc, v, "point.11.accession-earliest", 1.0);
        set(sc, v, "point.11.accession-rate", 1e6);
    });
    let membership = sim.membership("ukraine", "eu");
    assert_eq!(
        sim.get::<Membership>(membership).status,
        MembershipStatus::Candidate
    );
    sim.ticks(52); // day 364: not before the earliest day, however likely
    let acc: Accession = sim.get(sim.root());
    assert!(!acc.member);
    assert_eq!(
        sim.get::<Membership>(membership).status,
        MembershipStatus::Candidate
    );
    // Preferential access ramps up over 2 years: 0.3 × 364 / 730.
    let s = stake(&mut sim, 1, Kind::EuAccess);
    assert!((s - 0.3 * 364.0 / 730.0).abs() < 1e-12, "{s}");
    sim.ticks(1); // day 371
    let acc: Accession = sim.get(sim.root());
    assert!(acc.member);
    assert_eq!(
        sim.get::<Membership>(membership).status,
        MembershipStatus::Active
    );
    // Membership adds its own stake.
    let s = stake(&mut sim, 1, Kind::EuAccess);
    assert!((s - (0.3 * 371.0 / 730.0 + 0.5)).abs() < 1e-12, "{s}");
    // Without point 11 Ukraine stays a candidate with nothing at stake.
    let mut sim = Sim::new(1, |sc, v| {
        quiet(sc, v);
        set(sc, v, "point.11.accession-earliest", 1.0);
        set(sc, v, "point.11.accession-rate", 1e6);
        v.enabled.remove(Kind::EuAccess);
    });
    sim.ticks(100);
    let membership = sim.membership("ukraine", "eu");
    assert_eq!(
        sim.get::<Membership>(membership).status,
        MembershipStatus::Candidate
    );
    assert_eq!(stake(&mut sim, 1, Kind::EuAccess), 0.0);
}

#[test]
fn a_council_sanction_on_ukraine_suspends_reconstruction() {
    let mut sim = Sim::new(1, quiet);
    sim.ticks(30); // day 210
    let before = fund(&mut sim, "development-fund").invested;
    assert!(before > 0.0);
    // A sanction the council decided on Ukraine takes effect on day 217.
    sim.queue_sanction(217.0, 1);
    sim.ticks(1);
    let tally: Tally = sim.get(sim.root());
    assert_eq!(tally.sanctions_imposed, 1);
    let f = fund(&mut sim, "development-fund");
    assert_eq!(f.suspended_until, 217.0 + 180.0);
    assert_eq!(f.invested, before);
    sim.ticks(25); // day 392: still suspended
    assert_eq!(fund(&mut sim, "development-fund").invested, before);
    sim.ticks(1); // day 399: disbursements resume at the scheduled pace
    let after = fund(&mut sim, "development-fund").invested;
    assert!((after - before - 100.0 * 7.0 / 2465.0).abs() < 1e-9);
    // What was held back is paid at the end of the schedule: the whole package is disbursed.
    sim.ticks(310); // day 2,569
    let f = fund(&mut sim, "development-fund");
    assert!((f.invested - 100.0).abs() < 1e-9 && f.balance.abs() < 1e-9);
}

#[test]
fn a_sanction_on_russia_does_not_suspend_reconstruction() {
    let mut sim = Sim::new(1, quiet);
    sim.ticks(30);
    let before = fund(&mut sim, "development-fund").invested;
    sim.queue_sanction(217.0, 0);
    sim.ticks(1);
    let f = fund(&mut sim, "development-fund");
    assert_eq!(f.suspended_until, 0.0);
    assert!((f.invested - before - 100.0 * 7.0 / 2465.0).abs() < 1e-9);
}

#[test]
fn disrupting_the_plant_and_interdicting_shipping_are_violations() {
    let mut sim = Sim::new(2, |sc, v| {
        quiet(sc, v);
        set(sc, v, "point.19.disruption-rate", 2000.0);
        set(sc, v, "point.23.interdiction-rate", 2000.0);
    });
    sim.ticks(8); // day 56: before the ceasefire nothing is a violation of these points
    for s in 0..2 {
        let c: Commitments = sim.get(sim.side(s));
        assert_eq!(c.committed[Kind::TradeRoutes as usize], 0);
    }
    sim.ticks(10); // day 126: the ceasefire holds, the plant is not running yet
    let russia: Commitments = sim.get(sim.side(0));
    let ukraine: Commitments = sim.get(sim.side(1));
    // Only the side that does not export interdicts shipping.
    assert!(russia.committed[Kind::TradeRoutes as usize] > 0);
    assert_eq!(ukraine.committed[Kind::TradeRoutes as usize], 0);
    assert_eq!(russia.committed[Kind::PowerPlant as usize], 0);
    assert_eq!(ukraine.committed[Kind::PowerPlant as usize], 0);
    sim.ticks(100); // day 826: one unit is running, and either side may disrupt it
    for s in 0..2 {
        let c: Commitments = sim.get(sim.side(s));
        assert!(c.committed[Kind::PowerPlant as usize] > 0, "side {s}");
    }
}

#[test]
fn implementation_of_the_economy_at_the_end_of_a_run() {
    let mut sim = Sim::new(1, quiet);
    sim.ticks(520);
    sim.force_war(0);
    sim.ticks(1); // day 3,647: the run ends
    let imp: Implementation = sim.implementation();
    for k in [
        Kind::Reconstruction,
        Kind::PowerPlant,
        Kind::TradeRoutes,
        Kind::FrozenAssets,
    ] {
        assert_eq!(imp.0[k as usize], 1.0, "{k:?}");
    }
    // Access has fully ramped up, whether or not Ukraine has joined.
    assert_eq!(imp.0[Kind::EuAccess as usize], 1.0);
}

"""Enums, LossMap fields and their validation, machine definitions."""

import dataclasses

import pytest

import lossmaps as lm
from lossmaps.machines import get_machine, reset_machine_definitions, set_machine_definition


def test_enum_members_of_the_manual():
    assert {m.name for m in lm.LMType} >= {"B1H", "B1V", "B2H", "B2V", "DPpos", "OTHER"}
    assert lm.LMType.Dpneg is lm.LMType.DPneg
    assert [m.name for m in lm.Machine] == ["LHC", "HLLHC", "SPS", "FCCEE", "FCCHH"]
    assert [m.name for m in lm.Particle] == ["PROTON", "LEAD_ION", "LEAD_PSI"]
    assert len(lm.BeamProcess) == 7
    assert [m.name for m in lm.Losses] == ["COLL", "COLD", "WARM", "XRP", "UNKNOWN"]
    assert lm.BLMintegrated.RS_1s31072.variable == "LHC.BLMI:LOSS_RS09"
    assert lm.BLMintegrated.RS_1s31072.window_s == pytest.approx(1.31072)
    assert lm.BLMintegrated.RS_83s88608.window_s == pytest.approx(83.88608)
    assert lm.BLMintegrated.RS_10ms is lm.BLMintegrated.RS_10ms24
    assert sorted([lm.Losses.UNKNOWN, lm.Losses.COLL]) == [lm.Losses.COLL, lm.Losses.UNKNOWN]


@pytest.mark.parametrize("lmtype, beam, plane, rfsweep", [
    ("B1H", lm.Beam.BEAM1, lm.Plane.HORIZONTAL, lm.RFsweep.NONE),
    ("B2V", lm.Beam.BEAM2, lm.Plane.VERTICAL, lm.RFsweep.NONE),
    ("DPpos", lm.Beam.BOTH, lm.Plane.HORIZONTAL, lm.RFsweep.POS),
])
def test_derived_fields(lmtype, beam, plane, rfsweep):
    lossmap = lm.SimulatedLossMap(lmtype=lmtype)
    assert (lossmap.beam, lossmap.plane, lossmap.rfsweep) == (beam, plane, rfsweep)
    with pytest.raises(AttributeError, match="only be set when lmtype is LMType.OTHER"):
        lossmap.beam = lm.Beam.BEAM2
    assert lossmap.beam == beam


def test_other_allows_setting_and_roi_follows_beam():
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.OTHER, machine=lm.Machine.LHC)
    assert lossmap.beam is None and lossmap.roi is None
    lossmap.beam, lossmap.plane, lossmap.rfsweep = "B2", lm.Plane.BOTH, lm.RFsweep.NEG
    assert lossmap.beam is lm.Beam.BEAM2
    assert lossmap.roi == get_machine("LHC").ds_roi[lm.Beam.BEAM2]
    with pytest.raises(ValueError, match="beam must be one of Beam.BEAM1"):
        lossmap.beam = "B3"


@pytest.mark.parametrize("field, value, message", [
    ("energy", -450, "energy must be a positive number in GeV"),
    ("betastar", "30", "betastar must be a positive number in cm"),
    ("machine", "LEP", "machine must be one of"),
    ("particle", "muon", "particle must be one of"),
    ("lmtype", "B3H", "lmtype must be one of"),
])
def test_field_validation(field, value, message):
    lossmap = lm.SimulatedLossMap(lmtype="B1H", energy=6800.0)
    with pytest.raises(ValueError, match=message):
        setattr(lossmap, field, value)
    assert lossmap.lmtype is lm.LMType.B1H and lossmap.energy == 6800.0


def test_data_fields_before_loading():
    lossmap = lm.SimulatedLossMap(lmtype="B1H")
    assert lossmap.losses is None
    with pytest.raises(AttributeError, match="call one of the load_data_"):
        lossmap.DS_inefficiency


def test_machine_facts_and_overrides():
    lhc = get_machine(lm.Machine.LHC)
    assert lhc.verified and lhc.circumference == pytest.approx(26658.8832)
    assert lhc.ip_positions["IP7"] == pytest.approx(19994.1624)
    assert lhc.warm_regions[-1] == (26636.3467, 26658.8832)
    assert lhc.zoom_ranges["IP1"][0] > lhc.zoom_ranges["IP1"][1]  # wraps around IP1
    for machine in (lm.Machine.SPS, lm.Machine.FCCEE, lm.Machine.FCCHH):
        assert not get_machine(machine).verified
    assert get_machine("SPS").warm_regions == ((0.0, get_machine("SPS").circumference),)
    try:
        set_machine_definition(dataclasses.replace(get_machine("SPS"), circumference=6911.5038))
        assert get_machine("SPS").circumference == 6911.5038
    finally:
        reset_machine_definitions()
    with pytest.raises(ValueError, match="circumference must be a positive"):
        dataclasses.replace(lhc, circumference=-1.0)

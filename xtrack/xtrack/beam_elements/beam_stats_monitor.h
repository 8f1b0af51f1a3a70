// BeamStatsMonitor: weighted raw moments of the beam per record.
//
// A record is (turn, selected bunch slot, zeta slice). Per record the monitor
// sums the weight w, w*beta0*gamma0, w*charge_ratio, w*mass_ratio, w*c_i and
// w*c_i*c_j (i <= j) for c = (x, px, y, py, zeta, delta, pzeta), and
// weighted histograms of chosen coordinates. Which sums are kept is decided
// in Python from the requested statistics: raw_offset[k] is the start of
// raw field k in `moments` (n_records values), or -1 when not kept. Field
// order: 0 num_particles, 1 sum_beta0_gamma0, 2 sum_charge_ratio,
// 3 sum_mass_ratio, 4..10 first moments, 11..38 second moments (i <= j).
//
// Bunched beams: bunch slot s is centred at zeta = -s * bunch_spacing_zeta; a
// particle belongs to slot round(-zeta / spacing) (slot 0 when spacing is 0);
// slices split [zeta_min, zeta_max) around the slot centre. Coasting beams:
// the line length L is split into num_slices slices from zeta = L/2 down to
// -L/2; a particle outside (-L/2, L/2] is folded by k = floor((L/2 - zeta)/L)
// turns (zeta + k L counted at turn at_turn + k): it passes the monitor at the
// time of that slice k turns later (zeta = s - beta0 c t).
// Several particles add into the same record from several threads: atomicAdd.
#ifndef XTRACK_BEAM_STATS_MONITOR_H
#define XTRACK_BEAM_STATS_MONITOR_H

#include "xtrack/headers/track.h"
#include "xobjects/headers/atomicadd.h"
#include "xtrack/beam_elements/_monitor_sample.h"

#define XTRACK_BSM_NUM_COORDS 7

GPUFUN void _BeamStatsMonitor_add(BeamStatsMonitorData el, int64_t field, int64_t record, double value){
    int64_t const off = BeamStatsMonitorData_get_raw_offset(el, field);
    if (off >= 0){
        atomicAdd(BeamStatsMonitorData_getp1_moments(el, off + record), value);
    }
}

GPUFUN void BeamStatsMonitor_track_local_particle(BeamStatsMonitorData el, LocalParticle* part0){
    int64_t const start_at_turn = BeamStatsMonitorData_get_start_at_turn(el);
    int64_t const stop_at_turn = BeamStatsMonitorData_get_stop_at_turn(el);
    int64_t const every_n_turns = BeamStatsMonitorData_get_every_n_turns(el);
    int64_t const n_turns = BeamStatsMonitorData_get_n_turns(el);
    int64_t const pid_start = BeamStatsMonitorData_get_particle_id_start(el);
    int64_t const pid_stop = BeamStatsMonitorData_get_particle_id_stop(el);
    int64_t const coasting = BeamStatsMonitorData_get_coasting(el);
    int64_t const num_slices = BeamStatsMonitorData_get_num_slices(el);
    int64_t const n_selected = BeamStatsMonitorData_get_n_selected(el);
    int64_t const n_lookup = BeamStatsMonitorData_len_slot_lookup(el);
    int64_t const n_slices_rec = num_slices > 0 ? num_slices : 1;
    START_PER_PARTICLE_BLOCK(part0, part);
        int64_t const pid = LocalParticle_get_particle_id(part);
        int64_t ok = (pid_start < 0) || (pid >= pid_start && pid < pid_stop);
        int64_t turn = LocalParticle_get_at_turn(part);
        double zeta = LocalParticle_get_zeta(part);
        int64_t sel = 0;
        int64_t slice = 0;
        if (ok && coasting){
            double const L = BeamStatsMonitorData_get_line_length(el);
            if (L > 0.){
                double const t = (0.5 * L - zeta) / L;
                double const k = floor(t);
                slice = (int64_t)floor((t - k) * (double)num_slices);
                if (slice >= num_slices) slice = num_slices - 1;
                if (slice < 0) slice = 0;
                turn += (int64_t)k;
                zeta += k * L;
            } else {
                ok = 0;  // line length unknown: the slices are undefined
            }
        } else if (ok){
            double const spacing = BeamStatsMonitorData_get_bunch_spacing_zeta(el);
            int64_t slot = 0;
            double zeta_rel = zeta;
            if (spacing > 0.){
                slot = (int64_t)floor(-zeta / spacing + 0.5);
                zeta_rel = zeta + (double)slot * spacing;
            }
            if (slot < 0 || slot >= n_lookup){
                ok = 0;
            } else {
                sel = BeamStatsMonitorData_get_slot_lookup(el, slot);
                if (sel < 0) ok = 0;
            }
            if (ok && num_slices > 0){
                double const zmin = BeamStatsMonitorData_get_zeta_min(el);
                double const zmax = BeamStatsMonitorData_get_zeta_max(el);
                double const u = (zeta_rel - zmin) / (zmax - zmin) * (double)num_slices;
                if (u >= 0. && u < (double)num_slices){
                    slice = (int64_t)u;
                    if (slice >= num_slices) slice = num_slices - 1;
                } else {
                    ok = 0;
                }
            }
        }
        int64_t const dt = turn - start_at_turn;
        if (ok && dt >= 0 && turn < stop_at_turn && dt % every_n_turns == 0 && dt / every_n_turns < n_turns){
            int64_t const record = ((dt / every_n_turns) * n_selected + sel) * n_slices_rec + slice;
            double const w = LocalParticle_get_weight(part);
            double c[XTRACK_BSM_NUM_COORDS];
            c[0] = LocalParticle_get_x(part);
            c[1] = LocalParticle_get_px(part);
            c[2] = LocalParticle_get_y(part);
            c[3] = LocalParticle_get_py(part);
            c[4] = zeta;
            c[5] = LocalParticle_get_delta(part);
            c[6] = LocalParticle_get_pzeta(part);
            _BeamStatsMonitor_add(el, 0, record, w);
            _BeamStatsMonitor_add(el, 1, record,
                                  w * LocalParticle_get_beta0(part) * LocalParticle_get_gamma0(part));
            _BeamStatsMonitor_add(el, 2, record, w * LocalParticle_get_charge_ratio(part));
            _BeamStatsMonitor_add(el, 3, record, w * LocalParticle_get_mass_ratio(part));
            int64_t field = 4;
            for (int64_t ii = 0; ii < XTRACK_BSM_NUM_COORDS; ii++){
                _BeamStatsMonitor_add(el, field, record, w * c[ii]);
                field++;
            }
            for (int64_t ii = 0; ii < XTRACK_BSM_NUM_COORDS; ii++){
                for (int64_t jj = ii; jj < XTRACK_BSM_NUM_COORDS; jj++){
                    _BeamStatsMonitor_add(el, field, record, w * c[ii] * c[jj]);
                    field++;
                }
            }
            int64_t const n_profiles = BeamStatsMonitorData_len_profile_coordinate(el);
            for (int64_t pp = 0; pp < n_profiles; pp++){
                int64_t const nb = BeamStatsMonitorData_get_profile_num_bins(el, pp);
                int64_t const bin = xtrack_monitor_bin_index(
                    c[BeamStatsMonitorData_get_profile_coordinate(el, pp)],
                    BeamStatsMonitorData_get_profile_min(el, pp),
                    BeamStatsMonitorData_get_profile_max(el, pp), nb);
                if (bin >= 0){
                    atomicAdd(BeamStatsMonitorData_getp1_profile_counts(el,
                        BeamStatsMonitorData_get_profile_offset(el, pp) + record * nb + bin), w);
                }
            }
        }
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_BEAM_STATS_MONITOR_H

// IBSAnalyticalKick is a collective element: its Python `track` needs the whole bunch
// (line density, r.m.s. sizes) and applies the kicks. The line kernel never
// reaches it (the tracker splits the line at collective elements); this empty
// function only completes the kernel source.
#ifndef XFIELDS_IBS_ANALYTICAL_KICK_H
#define XFIELDS_IBS_ANALYTICAL_KICK_H

GPUFUN void IBSAnalyticalKick_track_local_particle(IBSAnalyticalKickData el, LocalParticle* part0){
    (void) el; (void) part0;
}

#endif

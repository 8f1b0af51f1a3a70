// Integrated multipole j of a thick magnet with its relative component:
// knl[j] + knl_rel[j] * main_l (ksl the same), main_l the integrated main
// normal strength (k<n> L; for bends the tracked k0 times L), as
// get_total_knl_ksl (magnets.py). knl_rel is padded to the length of knl;
// a shorter one (set by hand) counts as zeros.
#ifndef XTRACK__RELATIVE_STRENGTHS_H
#define XTRACK__RELATIVE_STRENGTHS_H

#define XT_TOTAL_KNL(CLS, el, j, main_l) \
    (CLS##Data_get_knl(el, j) + ((j) < CLS##Data_len_knl_rel(el) ? CLS##Data_get_knl_rel(el, j) * (main_l) : 0.))
#define XT_TOTAL_KSL(CLS, el, j, main_l) \
    (CLS##Data_get_ksl(el, j) + ((j) < CLS##Data_len_ksl_rel(el) ? CLS##Data_get_ksl_rel(el, j) * (main_l) : 0.))

#endif  // XTRACK__RELATIVE_STRENGTHS_H

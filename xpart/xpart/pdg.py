"""PDG Monte-Carlo particle numbers: names, charges, masses and ions.

Particle ids follow the numbering scheme of the Review of Particle Physics
(PDG 2024, section 45 "Monte Carlo particle numbering scheme"): an
antiparticle has the opposite id, and a nucleus of atomic number Z and mass
number A is ``10LZZZAAAI`` (L = number of strange quarks, I = isomer level,
both 0 here) = 1000000000 + 10000 Z + 10 A.

Names are matched case-insensitively, with super- and subscripts or plain
characters (``'e⁻'``, ``'e-'``, ``'E-'``), with ``anti``/``anti-``/``anti ``
prefixes (``'antiproton'``) and, for nuclei, as symbol or element name with
the mass number before or after it (``'Pb208'``, ``'208Pb'``, ``'Pb-208'``,
``'Lead 208'``, ``'²⁰⁸Pb'``). Masses [eV] are PDG 2024 / CODATA 2022 values;
a nucleus without a tabulated mass gets A times the atomic mass constant.
"""

import re

import numpy as np

from . import constants as _c

__all__ = [
    "pdg_table", "elements", "elements_long", "get_pdg_id_from_name", "get_name_from_pdg_id",
    "get_pdg_id_ion", "get_properties_from_pdg_id", "get_mass_from_pdg_id",
    "get_pdg_id_from_mass_charge", "get_element_name_from_Z", "get_element_full_name_from_Z",
    "get_Z_from_element_name", "is_proton", "is_lepton", "is_ion",
]

#: pdg_id -> (charge [e], short name, other names ..., long name); the first
#: name is the one `get_name_from_pdg_id` gives, the last the long one.
pdg_table = {
    11: (-1., "e⁻", "e", "electron"),
    -11: (1., "e⁺", "positron"),
    12: (0., "νₑ", "electron neutrino"),
    13: (-1., "μ⁻", "μ", "muon-", "muon"),
    -13: (1., "μ⁺", "muon+", "anti-muon"),
    14: (0., "νμ", "muon neutrino"),
    15: (-1., "τ⁻", "τ", "tau-", "tau"),
    -15: (1., "τ⁺", "tau+", "anti-tau"),
    16: (0., "ντ", "tau neutrino"),
    22: (0., "γ⁰", "γ", "photon"),
    111: (0., "π⁰", "π", "pion", "pion0", "pi0"),
    211: (1., "π⁺", "pion+", "pi+"),
    -211: (-1., "π⁻", "pion-", "pi-"),
    311: (0., "K⁰", "kaon", "kaon0"),
    321: (1., "K⁺", "kaon+"),
    -321: (-1., "K⁻", "kaon-"),
    130: (0., "KL", "long kaon"),
    310: (0., "Kₛ", "short kaon"),
    421: (0., "D⁰", "D"),
    411: (1., "D⁺",),
    -411: (-1., "D⁻",),
    431: (1., "Dₛ⁺",),
    -431: (-1., "Dₛ⁻",),
    2212: (1., "p⁺", "p", "proton"),
    -2212: (-1., "p⁻", "anti-proton"),
    2112: (0., "n⁰", "n", "neutron"),
    2224: (2., "Δ⁺⁺", "delta++"),
    2214: (1., "Δ⁺", "delta+"),
    2114: (0., "Δ⁰", "delta0"),
    1114: (-1., "Δ⁻", "delta-"),
    3122: (0., "Λ⁰", "Λ", "lambda"),
    4122: (1., "Λc⁺", "lambdac+"),
    3222: (1., "Σ⁺", "sigma+"),
    3212: (0., "Σ⁰", "Σ", "sigma", "sigma0"),
    3112: (-1., "Σ⁻", "sigma-"),
    3322: (0., "Ξ⁰", "Ξ", "xi", "xi0"),
    3312: (-1., "Ξ⁻", "xi-"),
    4132: (0., "Ξc⁰", "Ξc", "xic", "xic0"),
    4232: (1., "Ξc⁺", "xic+"),
    4312: (0., "Ξ'c⁰", "Ξ'c", "xiprimec", "xiprimec0"),
    4322: (1., "Ξ'c⁺", "xiprimec+"),
    3334: (-1., "Ω⁻", "omega-"),
    4332: (0., "Ωc⁰", "Ωc", "omegac", "omegac0"),
    1000010020: (1., "²H", "H2", "hydrogen-2", "deuteron"),
    1000010030: (1., "³H", "H3", "hydrogen-3", "triton"),
}

# Rest masses [eV] (PDG 2024; CODATA 2022 where xpart.constants has them).
# Neutrinos have none here (not used as beams); the order decides ties of
# `get_pdg_id_from_mass_charge` (K0 before K_L and K_S, photon first).
_MASSES = {
    22: 0.0, 11: _c.ELECTRON_MASS_EV, -11: _c.ELECTRON_MASS_EV, 13: _c.MUON_MASS_EV,
    -13: _c.MUON_MASS_EV, 15: 1776.93e6, -15: 1776.93e6, 111: _c.PION_NEUTRAL_MASS_EV,
    211: _c.PION_CHARGED_MASS_EV, -211: _c.PION_CHARGED_MASS_EV, 311: 497.611e6,
    321: _c.KAON_CHARGED_MASS_EV, -321: _c.KAON_CHARGED_MASS_EV, 130: 497.611e6, 310: 497.611e6,
    421: 1864.84e6, 411: 1869.66e6, -411: 1869.66e6, 431: 1968.35e6, -431: 1968.35e6,
    2212: _c.PROTON_MASS_EV, -2212: _c.PROTON_MASS_EV, 2112: _c.NEUTRON_MASS_EV,
    2224: 1232e6, 2214: 1232e6, 2114: 1232e6, 1114: 1232e6, 3122: 1115.683e6, 4122: 2286.46e6,
    3222: 1189.37e6, 3212: 1192.642e6, 3112: 1197.449e6, 3322: 1314.86e6, 3312: 1321.71e6,
    4132: 2470.44e6, 4232: 2467.71e6, 4312: 2578.7e6, 4322: 2578.2e6, 3334: 1672.45e6,
    4332: 2695.2e6, 1000010020: _c.DEUTERON_MASS_EV, 1000010030: 2808.92113668e6,
}

_SYMBOLS = (
    "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se "
    "Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb "
    "Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm "
    "Bk Cf Es Fm Md No Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og").split()
_NAMES = (
    "Hydrogen Helium Lithium Beryllium Boron Carbon Nitrogen Oxygen Fluorine Neon Sodium "
    "Magnesium Aluminium Silicon Phosphorus Sulfur Chlorine Argon Potassium Calcium Scandium "
    "Titanium Vanadium Chromium Manganese Iron Cobalt Nickel Copper Zinc Gallium Germanium "
    "Arsenic Selenium Bromine Krypton Rubidium Strontium Yttrium Zirconium Niobium Molybdenum "
    "Technetium Ruthenium Rhodium Palladium Silver Cadmium Indium Tin Antimony Tellurium Iodine "
    "Xenon Caesium Barium Lanthanum Cerium Praseodymium Neodymium Promethium Samarium Europium "
    "Gadolinium Terbium Dysprosium Holmium Erbium Thulium Ytterbium Lutetium Hafnium Tantalum "
    "Tungsten Rhenium Osmium Iridium Platinum Gold Mercury Thallium Lead Bismuth Polonium "
    "Astatine Radon Francium Radium Actinium Thorium Protactinium Uranium Neptunium Plutonium "
    "Americium Curium Berkelium Californium Einsteinium Fermium Mendelevium Nobelium Lawrencium "
    "Rutherfordium Dubnium Seaborgium Bohrium Hassium Meitnerium Darmstadtium Roentgenium "
    "Copernicium Nihonium Flerovium Moscovium Livermorium Tennessine Oganesson").split()

#: Z -> element symbol, and Z -> element name (IUPAC).
elements = {z: s for z, s in enumerate(_SYMBOLS, start=1)}
elements_long = {z: s for z, s in enumerate(_NAMES, start=1)}
_Z_BY_NAME = {**{s.lower(): z for z, s in elements.items()},
              **{s.lower(): z for z, s in elements_long.items()}}

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_TO_NORMAL = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻₀₁₂₃₄₅₆₇₈₉₊₋ₛₑₐₒₓₕₖₗₘₙₚₜ",
                           "0123456789+-0123456789+-seaoxhklmnpt")
_FLIP = {"+": "-", "-": "+", "⁺": "⁻", "⁻": "⁺"}
_ION_NAME = re.compile(r"^(\d+)?[ _.\-]?([a-z]+)[ _.\-]?(\d+)?$")


def _to_normal_script(name):
    """`name` with super- and subscript characters written as plain ones ('e⁻' -> 'e-')."""
    return name.translate(_TO_NORMAL)


def _digits_to_superscript(value):
    """The digits of `value` as superscripts (208 -> '²⁰⁸')."""
    return str(value).translate(_SUPERSCRIPTS)


def _flip_end_sign(name):
    """`name` with a trailing charge sign reversed ('e⁻' -> 'e⁺', 'pi+' -> 'pi-')."""
    return name[:-1] + _FLIP[name[-1]] if name and name[-1] in _FLIP else name


def _key(name):
    return _to_normal_script(name).strip().casefold()  # casefold: final sigma too


_ID_BY_NAME = {_key(n): pdg_id for pdg_id, (_, *names) in pdg_table.items() for n in names}


def get_pdg_id_ion(A, Z):
    """PDG id of the nucleus with mass number `A` and atomic number `Z`."""
    return 1000000000 + 10000 * int(Z) + 10 * int(A)


def _ion_numbers(pdg_id):
    """(A, Z) of a nucleus id ``10LZZZAAAI`` (no check that it is one)."""
    rest = abs(int(pdg_id)) - 1000000000
    rest %= 10000000  # drop L
    return (rest % 10000) // 10, rest // 10000


def is_ion(pdg_id):
    """True for a nucleus id with A > Z > 0 (the proton and neutron have their own ids)."""
    pdg_id = int(pdg_id)
    if pdg_id < 1000000000:
        return False
    A, Z = _ion_numbers(pdg_id)
    return A > Z > 0


def is_proton(pdg_id):
    return int(pdg_id) == 2212


def is_lepton(pdg_id):
    return 11 <= abs(int(pdg_id)) <= 16


def get_element_name_from_Z(Z):
    """Symbol of element `Z` ('Pb' for 82)."""
    try:
        return elements[int(Z)]
    except KeyError:
        raise ValueError(f"Z must be an atomic number 1..{len(elements)}, got {Z!r}") from None


def get_element_full_name_from_Z(Z):
    """Name of element `Z` ('Lead' for 82)."""
    try:
        return elements_long[int(Z)]
    except KeyError:
        raise ValueError(f"Z must be an atomic number 1..{len(elements)}, got {Z!r}") from None


def get_Z_from_element_name(name):
    """Atomic number of an element given by symbol or name, any case ('Pb', 'lead')."""
    try:
        return _Z_BY_NAME[_key(name)]
    except (KeyError, AttributeError):
        raise ValueError(f"unknown element {name!r}: give a symbol ('Pb') or a name ('Lead')") from None


def _id_from_key(key):
    if key in _ID_BY_NAME:
        return _ID_BY_NAME[key]
    if key.startswith("anti") and len(key) > 4:
        rest = key[4:]
        if rest[0] in " -" and len(rest) > 1:
            rest = rest[1:]
        # the antiparticle of X: anti-X names -id(X) with X's charge sign reversed
        inner = _id_from_key(_flip_end_sign(rest))
        if inner is not None:
            return -inner  # else a name that only starts so: Antimony-121
    m = _ION_NAME.match(key)
    if m and (m.group(1) is None) != (m.group(3) is None) and m.group(2) in _Z_BY_NAME:
        return get_pdg_id_ion(int(m.group(1) or m.group(3)), _Z_BY_NAME[m.group(2)])
    return None


def get_pdg_id_from_name(name):
    """PDG id of a particle or nucleus name (a list of names gives an array of ids)."""
    if isinstance(name, (list, tuple, np.ndarray)):
        return np.array([get_pdg_id_from_name(n) for n in name], dtype=np.int64)
    if not isinstance(name, str):
        raise TypeError(f"particle name must be a str, got {name!r}")
    pdg_id = _id_from_key(_key(name))
    if pdg_id is None:
        import difflib

        close = difflib.get_close_matches(_key(name), list(_ID_BY_NAME), n=3)
        raise ValueError(f"unknown particle name {name!r}"
                         + (f"; close matches: {close}" if close else "") + "; nuclei are written "
                         "as symbol or element name with the mass number, e.g. 'Pb208', 'Lead-208'")
    return int(pdg_id)


def get_properties_from_pdg_id(pdg_id, long_name=False, subscripts=True):
    """(charge [e], A, Z, name) of a PDG id; the name is short ('²⁰⁸Pb', 'e⁻'), long
    ('Lead-208', 'electron') or, with ``subscripts=False``, in plain characters ('208Pb')."""
    pdg_id = int(pdg_id)
    if pdg_id in pdg_table:
        q, *names = pdg_table[pdg_id]
        name = names[-1] if long_name else names[0]
        A, Z = _ion_numbers(pdg_id) if pdg_id >= 1000000000 else _nucleon_numbers(pdg_id, q)
        return float(q), A, Z, (name if subscripts or long_name else _to_normal_script(name))
    if -pdg_id in pdg_table:
        q, A, Z, name = get_properties_from_pdg_id(-pdg_id, long_name=long_name, subscripts=subscripts)
        return -q, A, -Z, f"anti{_flip_end_sign(name)}"
    if is_ion(pdg_id):
        A, Z = _ion_numbers(pdg_id)
        if long_name:
            name = f"{get_element_full_name_from_Z(Z)}-{A}"
        else:
            name = f"{_digits_to_superscript(A) if subscripts else A}{get_element_name_from_Z(Z)}"
        return float(Z), A, Z, name
    raise ValueError(f"pdg_id {pdg_id} is neither a tabulated particle nor a nucleus "
                     "(10LZZZAAAI with A > Z > 0)")


def _nucleon_numbers(pdg_id, q):
    """(A, Z) of a tabulated particle: baryons (4-digit ids) carry A = 1, Z = their charge."""
    return (1, int(q)) if 1000 <= abs(pdg_id) < 10000 else (0, 0)


def get_name_from_pdg_id(pdg_id, long_name=True):
    """Name of a PDG id (long: 'electron', 'Lead-208'; short: 'e⁻', '²⁰⁸Pb')."""
    return get_properties_from_pdg_id(pdg_id, long_name=long_name)[3]


def get_mass_from_pdg_id(pdg_id):
    """Rest mass [eV] of a PDG id (a nucleus without a tabulated mass: A u)."""
    pdg_id = int(pdg_id)
    for candidate in (pdg_id, -pdg_id):
        if candidate in _MASSES:
            return _MASSES[candidate]
    if is_ion(pdg_id):
        A, Z = _ion_numbers(pdg_id)
        known = _tabulated_ion_masses().get((A, Z))
        return known if known is not None else A * _c.U_MASS_EV
    raise ValueError(f"no mass known for pdg_id {pdg_id}")


def _tabulated_ion_masses():
    """(A, Z) -> mass [eV] of the nuclei whose masses xpart.constants gives (Pb208_MASS_EV ...)."""
    out = {}
    for name in dir(_c):
        m = re.fullmatch(r"([A-Z][a-z]?)(\d+)_MASS_EV", name)
        if m and m.group(1).lower() in _Z_BY_NAME:
            out[(int(m.group(2)), _Z_BY_NAME[m.group(1).lower()])] = getattr(_c, name)
    return out


def _mass_consistent(pdg_id, mass, rtol=1e-3):
    """True when `mass` [eV] agrees with the mass of `pdg_id` to `rtol`."""
    expected = get_mass_from_pdg_id(pdg_id)
    return abs(mass - expected) <= rtol * max(abs(expected), 1.0)


def get_pdg_id_from_mass_charge(mass, q):
    """PDG id of the particle with rest mass `mass` [eV] (to 1e-3) and charge `q` [e];
    otherwise the fully stripped nucleus with Z = q and A = round(mass / u)."""
    for pdg_id, m in _MASSES.items():
        if pdg_table[pdg_id][0] == q and _mass_consistent(pdg_id, mass):
            return pdg_id
    A = int(round(mass / _c.U_MASS_EV))
    if q >= 1 and A > q:
        return get_pdg_id_ion(A, int(round(q)))
    raise ValueError(f"no particle with mass {mass} eV and charge {q}")

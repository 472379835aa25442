/**
 * Countries as people read them. Livestream's `geoCountry` is an ISO 3166-1 alpha-3 code in
 * lower case (`usa`, `gbr`); `Intl.DisplayNames` names regions by their alpha-2 code, hence the
 * table. Anything else (a code no table knows, `(other)`, a name) is shown as it came, codes
 * upper-cased.
 */

// ISO 3166-1: alpha-3 followed by alpha-2, for every assigned code, plus Kosovo's user-assigned XKX.
const ALPHA3_TO_ALPHA2 = new Map<string, string>(
  (
    'AFGAF ALAAX ALBAL DZADZ ASMAS ANDAD AGOAO AIAAI ATAAQ ATGAG ARGAR ARMAM ABWAW AUSAU AUTAT AZEAZ ' +
    'BHSBS BHRBH BGDBD BRBBB BLRBY BELBE BLZBZ BENBJ BMUBM BTNBT BOLBO BESBQ BIHBA BWABW BVTBV BRABR ' +
    'IOTIO BRNBN BGRBG BFABF BDIBI CPVCV KHMKH CMRCM CANCA CYMKY CAFCF TCDTD CHLCL CHNCN CXRCX CCKCC ' +
    'COLCO COMKM COGCG CODCD COKCK CRICR CIVCI HRVHR CUBCU CUWCW CYPCY CZECZ DNKDK DJIDJ DMADM DOMDO ' +
    'ECUEC EGYEG SLVSV GNQGQ ERIER ESTEE SWZSZ ETHET FLKFK FROFO FJIFJ FINFI FRAFR GUFGF PYFPF ATFTF ' +
    'GABGA GMBGM GEOGE DEUDE GHAGH GIBGI GRCGR GRLGL GRDGD GLPGP GUMGU GTMGT GGYGG GINGN GNBGW GUYGY ' +
    'HTIHT HMDHM VATVA HNDHN HKGHK HUNHU ISLIS INDIN IDNID IRNIR IRQIQ IRLIE IMNIM ISRIL ITAIT JAMJM ' +
    'JPNJP JEYJE JORJO KAZKZ KENKE KIRKI PRKKP KORKR KWTKW KGZKG LAOLA LVALV LBNLB LSOLS LBRLR LBYLY ' +
    'LIELI LTULT LUXLU MACMO MDGMG MWIMW MYSMY MDVMV MLIML MLTMT MHLMH MTQMQ MRTMR MUSMU MYTYT MEXMX ' +
    'FSMFM MDAMD MCOMC MNGMN MNEME MSRMS MARMA MOZMZ MMRMM NAMNA NRUNR NPLNP NLDNL NCLNC NZLNZ NICNI ' +
    'NERNE NGANG NIUNU NFKNF MKDMK MNPMP NORNO OMNOM PAKPK PLWPW PSEPS PANPA PNGPG PRYPY PERPE PHLPH ' +
    'PCNPN POLPL PRTPT PRIPR QATQA REURE ROURO RUSRU RWARW BLMBL SHNSH KNAKN LCALC MAFMF SPMPM VCTVC ' +
    'WSMWS SMRSM STPST SAUSA SENSN SRBRS SYCSC SLESL SGPSG SXMSX SVKSK SVNSI SLBSB SOMSO ZAFZA SGSGS ' +
    'SSDSS ESPES LKALK SDNSD SURSR SJMSJ SWESE CHECH SYRSY TWNTW TJKTJ TZATZ THATH TLSTL TGOTG TKLTK ' +
    'TONTO TTOTT TUNTN TURTR TKMTM TCATC TUVTV UGAUG UKRUA AREAE GBRGB USAUS UMIUM URYUY UZBUZ VUTVU ' +
    'VENVE VNMVN VGBVG VIRVI WLFWF ESHEH YEMYE ZMBZM ZWEZW XKXXK'
  )
    .split(' ')
    .map((pair) => [pair.slice(0, 3), pair.slice(3)] as const),
);

/** Every alpha-3 code the table maps (for tests). */
export const KNOWN_ALPHA3: ReadonlySet<string> = new Set(ALPHA3_TO_ALPHA2.keys());

let names: Intl.DisplayNames | null | undefined;

function displayNames(): Intl.DisplayNames | null {
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    } catch {
      names = null;
    }
  }
  return names;
}

const CODE = /^[a-z]{2,3}$/i;

/** The upper-case alpha-2 code of an alpha-2 or alpha-3 code, or undefined. */
export function countryAlpha2(code: string): string | undefined {
  const upper = code.trim().toUpperCase();
  if (upper.length === 2 && CODE.test(upper)) return upper;
  return ALPHA3_TO_ALPHA2.get(upper);
}

/**
 * The country's English name (`usa` → `United States`, `FR` → `France`); a code without a name
 * comes back upper-cased (`zzz` → `ZZZ`), anything else as it came (`(other)`).
 */
export function formatCountry(code: string | undefined): string {
  if (code === undefined) return '';
  let name = nameCache.get(code);
  if (name === undefined) {
    const trimmed = code.trim();
    if (!CODE.test(trimmed)) return code;
    const alpha2 = countryAlpha2(trimmed);
    name = (alpha2 ? displayNames()?.of(alpha2) : undefined) ?? trimmed.toUpperCase();
    nameCache.set(code, name);
  }
  return name;
}

// The feed names the same few dozen countries thousands of times a minute.
const nameCache = new Map<string, string>();

/** The code as people write it: `usa` → `USA` (codes only; anything else as it came). */
export function formatCountryCode(code: string | undefined): string {
  if (code === undefined) return '';
  const trimmed = code.trim();
  return CODE.test(trimmed) ? trimmed.toUpperCase() : code;
}

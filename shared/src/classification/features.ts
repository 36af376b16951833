import { emailAddressSource } from './email-address';

/**
 * Text → sparse feature vector for the reply model: word unigrams and bigrams with negation scope,
 * character 3- and 4-grams (typos, inflections, four languages), subject words and a length bucket.
 * Feature names are hashed into a fixed number of buckets so the weights file stays small.
 */

export interface FeatureVector {
  buckets: Int32Array;
  values: Float64Array;
  /** Readable names of the features, parallel to `buckets`, for the decision trace. */
  names: string[];
}

const negators = new Set(
  [
    'not no never dont doesnt didnt isnt arent wont cant cannot nothing neither',
    'nicht kein keine keinen keiner nie niemals nein',
    'ne pas jamais aucun aucune non',
    'nunca tampoco nada ningun ninguna ni',
    'mai niente nessun nessuna',
    'niet geen nooit niets',
    'nao nem nenhum nenhuma',
  ]
    .join(' ')
    .split(' '),
);
const negationScope = 3;
/** Intent cues count as much as this many ordinary features: they generalise where n-grams cannot. */
const cueWeight = 4;
const cjkRun = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const clauseEnd = new Set(['.', ',', ';', ':', '!', '?']);

function normalize(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFD')
      // Accents go (typed or not, "prioritat" is "priorität"); Japanese voicing marks are letters and stay.
      .replace(/(?<=\p{Script=Latin})\p{M}+/gu, '')
      .normalize('NFC')
      .replace(/ß/g, 'ss')
      .replace(/[’‘`´]/g, "'")
      .replace(/https?:\/\/\S+|www\.\S+/g, ' zzurl ')
      .replace(new RegExp(emailAddressSource, 'gi'), ' zzemail ')
      .replace(/\d+/g, '0')
  );
}

const fullWidthMarks: Record<string, string> = { '。': ' . ', '、': ' , ', '！': ' ! ', '？': ' ? ' };

function tokenize(normalized: string): string[] {
  return (normalized.replace(/[。、！？]/g, (mark) => fullWidthMarks[mark] ?? ' ').match(/[\p{L}0][\p{L}0']*|[?!.,;:]/gu) ?? []).map((token) =>
    token.replace(/'/g, ''),
  );
}

/**
 * Phrases that carry intent in sales replies, in English, German, French, Spanish, Italian, Dutch, Portuguese,
 * Japanese and Chinese (matched on normalised text: lower case, no accents, no apostrophes). They let a model trained on a few hundred replies generalise
 * past the exact wording it saw.
 */
const intentCues: Record<string, RegExp> = {
  interest:
    /\b(?:interested|interesting|intrigued|keen|relevant|timely|interessiert|interessant|relevant|interesse|interessant|pertinent|me interesa|nos interesa|interesante|suena interesante|interessat[oaie]|interessante|geinteresseerd|interessado|interessada)\b|興味|関心|感兴趣|有兴趣|兴趣/,
  meeting:
    /\b(?:call|meeting|meet|demo|chat|talk|connect|hop on|jump on|calendar|invite|book|schedule|set up|slot|times?|available|free|pilot|trial|termin|telefonieren|gesprach|sprechen|demo|appel|appelons|rendez-vous|reunion|creneaux?|disponible|llamada|hablar|hablemos|agendemos|conversemos|prueba|chiamata|riunione|incontro|appuntamento|sentirci|gesprek|afspraak|bellen|overleg|kennismaken|reuniao|ligacao|conversar|agendar|videochamada)\b|打ち合わせ|打合せ|ミーティング|お電話|面談|ご説明|会议|通话|电话|见面|聊聊|开会|演示/,
  sendMaterial:
    /\b(?:send (?:me|over|it|the|info)|share|tell me more|more info(?:rmation)?|learn more|pricing|price|quote|proposal|deck|case stud\w*|references|brochure|one-pager|unterlagen|angebot|informationen|referenzen|presentation|tarifs|references|envoyez|informacion|propuesta|precios|envieme|mandeme|preventivo|offerta|informazioni|prijzen|informatie|offerte|orcamento|proposta|precos|informacoes|materiais)\b|資料|見積|报价|资料|价格/,
  agreement:
    /(?:^|[.!,] *)(?:yes|yep|yeah|sure|ok|okay|absolutely|definitely|perfect|great|ja|gerne|gern|passt|oui|volontiers|d'accord|daccord|si|claro|perfecto|de acuerdo|volentieri|certo|perfetto|va bene|graag|prima|akkoord|perfeito|com certeza|combinado|otimo|ottimo)\b|\b(?:sounds (?:good|great|promising|like a plan)|lets|happy to|love to|would love|glad to|im in|count me in|go ahead|works for me|i can do|avec plaisir|allons-y|con gusto|me gustaria|lassen sie uns)\b|ぜひ|是非|喜んで|好的|可以|没问题|行/,
  refusal:
    /\b(?:not interested|no interest|kein interesse|pas interesse|no (?:me|nos) interesa|no thanks|no thank you|thanks but no|nein danke|non merci|no,? gracias|(?:hard )?pass|nope|nah|all set|were (?:good|fine|set)|no need|kein bedarf|leider|its a no|answer is no|respectfully,? no|lol no|still no|no\.?$|nein\.?$|non\.?$|non (?:siamo|sono) interessat\w*|no grazie|niet geinteresseerd|nee bedankt|geen interesse|nao (?:temos|tenho) interesse|nao,? obrigad\w|sem interesse)\b|興味(?:は|が)?(?:ありません|ない)|結構です|不要です|不感兴趣|不需要|不用了|没有兴趣/,
  alreadyCovered:
    /\b(?:happy with|satisfied with|content with|stick with|already (?:use|have|using|signed|work with|renewed)|just (?:signed|renewed|went with|finished)|went (?:with|another)|another (?:provider|vendor)|competitor|in-house|internally|built (?:something|it)|zufrieden|bereits|intern gelost|anderen anbieter|satisfaits?|deja un|prestataire|contentos|ya tenemos|proveedor|gia (?:un|abbiamo|usiamo|utilizziamo)|fornitore|al (?:een|tevreden)|leverancier|hebben al|ja (?:temos|usamos|utilizamos)|fornecedor|soddisfatti|tevreden)\b|既に|すでに|導入済|已经有|已有|供应商|在用/,
  noBudgetOrTiming:
    /\b(?:no budget|kein budget|pas de budget|presupuesto|budget (?:is )?frozen|freeze|too expensive|zu teuer|trop cher|demasiado caro|not a (?:priority|fit)|keine prioritat|pas une priorite|no es prioridad|not (?:now|right now|at this time|at the moment|for us|relevant|a fit|something|looking|ready|convinced|in a position)|bad timing|timing isnt right|next (?:year|quarter)|in (?:a|six) (?:year|months)|check back|reach out in|nachstes jahr|nicht jetzt|lannee prochaine|pas le bon moment|proximo ano|no es buen momento|doesnt (?:fit|work|apply|solve)|wont work|no (?:new )?vendors|other priorities|passt nicht|ne correspond pas|no encaja|non e (?:una )?priorita|nessun budget|l'anno prossimo|geen budget|geen prioriteit|volgend jaar|sem orcamento|nao e prioridade|proximo ano|momento sbagliato|niet het juiste moment)\b|予算|来年|時期ではない|预算|明年|暂时不|现在不/,
  identityQuestion:
    /\b(?:who (?:are you|is this|is sam|gave)|how did you (?:get|find)|where did you (?:get|source)|what is this|whats? (?:this|asep)|what (?:exactly )?does (?:your|it)|what do you (?:mean|offer)|is this (?:legit|a sales|an automated)|wer sind sie|woher haben sie|worum geht|was genau|qui etes|comment avez|de quoi sagit|que fait|quien es|de donde|de que se trata|que hace|chi (?:e|siete)|come avete|wie bent u|hoe komt u aan|quem (?:e|sao)|como conseguiu)\b|どちら様|どなた|你是谁|哪里得到/,
  redirect:
    /\b(?:not the right person|wrong person|right person|decision maker|not my area|not responsible|dont handle|nicht zustandig|forward(?:ed|ing)? (?:this|it|your|to)|passed (?:it |this )?(?:along|on)|pass (?:it|this) (?:on|along)|weitergeleitet|transmis|reenvie|try (?:our|the)|check with|talk to|wenden sie sich|voyez avec|hable con|out of the loop|vendor portal|supplier portal|persona giusta|non mi occupo|juiste persoon|niet verantwoordelijk|pessoa certa|nao sou (?:a pessoa|responsavel))\b|担当者|担当ではない|负责人|不负责/,
  deferral:
    /\b(?:ill (?:think|look|take a look|read|get back|circle back|check|review|pass)|let me (?:check|look|think|talk|get back|see)|get back to you|checking with|will (?:review|pass)|we(?:ll)? see|on the fence|not sure|depends|maybe\.|possibly|ich (?:melde|bespreche|schaue)|je (?:reviens|vais regarder)|lo (?:consulto|reviso)|ci penso|vi faccio sapere|ik kom erop terug|laat het (?:je|u) weten|vou (?:pensar|verificar)|retorno em breve)\b|検討します|検討させて|考えます|我考虑|考虑一下|再说/,
  acknowledgement:
    /^(?:thanks?|thank you|danke|merci|gracias|received|erhalten|bien recu|recibido|noted|got it|ok|acknowledged|i read it)\b[^?]{0,40}$/,
};

function lengthBucket(words: number): string {
  if (words <= 1) return '1';
  if (words <= 3) return '2-3';
  if (words <= 8) return '4-8';
  if (words <= 20) return '9-20';
  if (words <= 60) return '21-60';
  return '61+';
}

/** Feature names before hashing; exported so tests and the trace can show what the model saw. */
export function featureNames(subject: string, text: string): string[] {
  const names: string[] = [];
  const normalized = normalize(text);
  const joined = normalized.replace(/'/g, '').replace(/\s+/g, ' ').trim();
  for (const [cue, pattern] of Object.entries(intentCues)) if (pattern.test(joined)) names.push(`cue:${cue}`);
  const tokens = tokenize(normalized);
  let words: string[] = [];
  let negatedFor = 0;
  const flushBigrams = () => {
    for (let i = 1; i < words.length; i += 1) names.push(`b:${words[i - 1]} ${words[i]}`);
    words = [];
  };
  let wordCount = 0;
  for (const token of tokens) {
    if (clauseEnd.has(token)) {
      flushBigrams();
      negatedFor = 0;
      if (token === '?' || token === '!') names.push(`p:${token}`);
      continue;
    }
    wordCount += 1;
    words.push(token);
    names.push(negatedFor > 0 ? `n:${token}` : `w:${token}`);
    negatedFor = negators.has(token) ? negationScope : Math.max(0, negatedFor - 1);
    if (cjkRun.test(token)) {
      // Japanese and Chinese put no spaces between words: character pairs stand in for them.
      for (let i = 0; i + 2 <= token.length; i += 1) names.push(`c:${token.slice(i, i + 2)}`);
    }
    if (token.length >= 3) {
      const padded = `<${token}>`;
      for (let n = 3; n <= 4; n += 1) {
        for (let i = 0; i + n <= padded.length; i += 1) names.push(`c:${padded.slice(i, i + n)}`);
      }
    }
  }
  flushBigrams();
  for (const token of tokenize(normalize(subject))) if (!clauseEnd.has(token)) names.push(`s:${token}`);
  names.push(`len:${lengthBucket(wordCount)}`);
  return names;
}

/** 32-bit FNV-1a: stable across platforms, so the weights file means the same everywhere. */
export function hashFeature(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Binary presence features, L2-normalised so long and short replies weigh alike. */
export function featureVector(subject: string, text: string, bucketCount: number): FeatureVector {
  const byBucket = new Map<number, string>();
  for (const name of featureNames(subject, text)) {
    const bucket = hashFeature(name) % bucketCount;
    if (!byBucket.has(bucket)) byBucket.set(bucket, name);
  }
  const scale = byBucket.size > 0 ? 1 / Math.sqrt(byBucket.size) : 0;
  const buckets = Int32Array.from(byBucket.keys());
  const names = [...byBucket.values()];
  const values = Float64Array.from(names, (name) => (name.startsWith('cue:') ? cueWeight * scale : scale));
  return { buckets, values, names };
}

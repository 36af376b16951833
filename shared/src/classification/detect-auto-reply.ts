import { findLeftCompany, referralCue, returnCue } from './extract-ooo';
import type { HeaderMap } from './headers';
import { excerptAround, type RuleMatch } from './rule-match';

const autoReplySubject =
  /^\s*(?:(?:automatic|auto(?:matic)?[- ]?)(?:reply|response|answer)|auto-?reply|autoreply|out of (?:the )?office|ooo\b|abwesenheit|abwesend|automatische antwort|réponse automatique|absence|absent(?:e)?\b|respuesta automática|fuera de la oficina|ausencia|ausente|risposta automatica|fuori (?:sede|ufficio)|assente|assenza|automatisch antwoord|afwezig(?:heid)?|niet aanwezig|resposta automática|resposta automatica|ausência|fora do escritório|自動応答|自動返信|不在(?:通知|のお知らせ)?|休暇|自动回复|自動回覆|不在办公室|休假|(?:on|I am on|I'm on) (?:vacation|holiday|leave)|away from (?:the )?office)/i;

const outOfOfficePhrase = new RegExp(
  [
    'out of (?:the )?office',
    '(?:currently|presently) (?:away|out|travell?ing|on leave|unavailable)',
    "(?:i am|i'm|i will be|i'll be) (?:currently |presently )?(?:away|out|off|travell?ing|unavailable|on (?:vacation|holiday|holidays|leave|annual leave|parental leave|maternity leave|paternity leave|sick leave|a business trip|pto))",
    'on (?:annual|parental|maternity|paternity|sick|medical|extended) leave',
    'limited (?:access to (?:my )?e-?mails?|connectivity)',
    'away from (?:my desk|the office|e-?mail)',
    'without access to (?:my )?e-?mails?',
    '(?:back|return(?:ing)?) (?:in|to) (?:the )?office',
    'nicht im büro',
    '(?:wieder|zurück) im büro',
    'wieder erreichbar',
    'außer haus',
    'abwesend',
    'im urlaub',
    'in (?:elternzeit|mutterschutz)',
    '(?:auf|in) (?:geschäftsreise|dienstreise)',
    'keinen zugriff auf (?:meine )?e-?mails',
    'eingeschränkt erreichbar',
    'nicht erreichbar',
    'absente? (?:du bureau|jusqu)',
    'je suis absente?',
    'en (?:congé|vacances|déplacement)',
    'hors du bureau',
    'accès limité (?:à mes|aux) (?:e-?mails|courriels|messages)',
    'de retour (?:au bureau|le)',
    'fuera de la oficina',
    'regreso (?:a la oficina|el)',
    'estaré de vuelta',
    '(?:estoy|estaré) (?:fuera|de vacaciones|ausente|de viaje)',
    'de vacaciones',
    'con acceso limitado',
    'sin acceso al correo',
    'fuori (?:ufficio|sede)',
    'sono (?:assente|in ferie|in vacanza|in viaggio|fuori)',
    '(?:in ferie|in congedo|in maternità) (?:fino|sino|dal)',
    'rientrerò',
    'accesso limitato (?:alla|alle) (?:posta|e-?mail)',
    'afwezig',
    'niet (?:op kantoor|aanwezig|bereikbaar)',
    'met vakantie',
    'weer (?:op kantoor|aanwezig|bereikbaar)',
    'beperkt (?:toegang tot (?:mijn )?e-?mail|bereikbaar)',
    'fora do escritório',
    '(?:estou|estarei) (?:ausente|de férias|fora|em viagem|de licença)',
    'de férias',
    'acesso limitado (?:ao|aos) (?:e-?mail|correio)',
    // The writer's own absence, as notices word it; ご不在中, お休みをお過ごしください are someone else's.
    '(?<![ごお])不在(?:にしております|にしています|にいたします|にします|となります|となっております|のため|です|でございます|中です|中のため)',
    '留守にしており|留守にしています',
    '(?<![ごお])休暇(?:をいただ|を頂|を取って|をとって|中です|中のため|のため|期間|に入)',
    '休業(?:中|のため|期間|とな|とさせて|いたします|日)',
    '(?:夏季|冬季|年末年始の?)休み(?:をいただ|を頂|中|のため|期間|とな|に入)|お休みをいただ|お休みを頂',
    '(?<![ごお])出張(?:中|のため)',
    '(?:メール|返信)(?:の確認|が)?(?:できません|遅れ)',
    '不在办公室',
    '休假',
    '出差',
    '无法(?:及时)?(?:查看|回复)',
    '不在辦公室',
  ].join('|'),
  'i',
);

/** Wording only an automatic reply uses; a person writing "I'm on holiday" by hand rarely adds it. */
const automaticWording = new RegExp(
  [
    'thank you for your (?:e-?mail|message|mail|note)',
    'thanks for your (?:e-?mail|message|mail|note)',
    'upon my return',
    'when i (?:return|get back|am back)',
    'after my return',
    "(?:will|won't|will not) be (?:forwarded|read)",
    'this is an automa(?:tic|ted) (?:reply|response|message)',
    'vielen dank für ihre (?:nachricht|e-?mail|mail)',
    'danke für ihre (?:nachricht|e-?mail)',
    'nach meiner rückkehr',
    'wird nicht weitergeleitet',
    'merci (?:pour|de) votre (?:message|e-?mail|courriel|mail)',
    'dès mon retour',
    'à mon retour',
    'gracias por (?:su|tu) (?:mensaje|correo|e-?mail)',
    'a mi (?:regreso|vuelta)',
    'cuando regrese',
    'grazie per (?:la sua|il suo|la tua|il tuo) (?:messaggio|e-?mail|mail)',
    'al mio rientro',
    'bedankt voor (?:uw|je) (?:bericht|e-?mail|mail)',
    'na (?:mijn|terugkomst)',
    'obrigad[oa] pel[ao] (?:sua|seu|tua|teu) (?:mensagem|e-?mail|contato)',
    'no meu regresso|quando (?:eu )?(?:voltar|regressar)',
    'メールありがとうございます|ご連絡ありがとうございます|戻り次第|順次(?:ご)?(?:返信|対応|回答)',
    '感谢您的(?:邮件|来信)|回来后|返回后',
    'this is an auto(?:matic|mated)? ?(?:reply|response)',
  ].join('|'),
  'i',
);

/** Headers that mail systems set on automatic replies (RFC 3834 and vendor equivalents). */
function autoReplyHeaderFacts(headers: HeaderMap): { decisive: string[]; supporting: string[] } {
  const decisive: string[] = [];
  const supporting: string[] = [];
  const autoSubmitted = headers.get('auto-submitted');
  if (autoSubmitted && !/^no\b/i.test(autoSubmitted)) decisive.push(`Auto-Submitted: ${autoSubmitted.slice(0, 60)} header present`);
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-autogenerated']) {
    const value = headers.get(name);
    if (value && !/^no\b/i.test(value)) decisive.push(`${name}: ${value.slice(0, 60)} header present`);
  }
  const precedence = headers.get('precedence');
  if (precedence && /auto[_-]?reply/i.test(precedence)) decisive.push(`Precedence: ${precedence.slice(0, 60)} header present`);
  const suppress = headers.get('x-auto-response-suppress');
  // Exchange also sets this on calendar and application mail, so on its own it only supports other evidence.
  if (suppress) supporting.push(`X-Auto-Response-Suppress: ${suppress.slice(0, 60)} header present`);
  return { decisive, supporting };
}

export interface AutoReplyInput {
  /** Subject as received, before Re:/AW: prefixes are removed: "Automatic reply: ..." matters. */
  rawSubject: string;
  headers: HeaderMap;
  ownText: string;
}

function bodyExcerpt(ownText: string): string {
  const phrase = outOfOfficePhrase.exec(ownText) ?? findLeftCompany(ownText);
  return excerptAround(ownText, phrase?.index ?? 0);
}

/** An automatic reply recognised by its headers or its subject line. */
export function detectAutoReply(input: AutoReplyInput): RuleMatch | undefined {
  const { decisive, supporting } = autoReplyHeaderFacts(input.headers);
  const subjectMarker = autoReplySubject.exec(input.rawSubject);
  const bodyPhrase = outOfOfficePhrase.exec(input.ownText) ?? findLeftCompany(input.ownText);
  if (decisive.length > 0 || (supporting.length > 0 && (subjectMarker || bodyPhrase))) {
    return { rule: 'auto-reply-header', label: 'ooo', facts: [...decisive, ...supporting], excerpt: bodyExcerpt(input.ownText) };
  }
  if (subjectMarker) {
    return {
      rule: 'auto-reply-subject',
      label: 'ooo',
      facts: [`subject starts with "${subjectMarker[0].trim()}"`, ...supporting],
      excerpt: bodyExcerpt(input.ownText) || input.rawSubject.slice(0, 300),
    };
  }
  return undefined;
}

/**
 * An out-of-office or left-the-company notice without auto-reply headers: the absence wording must come
 * with what only such notices carry (automatic phrasing, a return date or an alternate contact).
 */
export function detectOutOfOfficeText(ownText: string): RuleMatch | undefined {
  const left = findLeftCompany(ownText);
  if (left) {
    return {
      rule: 'out-of-office-text',
      label: 'ooo',
      facts: [`says the person left: "${left[0]}"`],
      excerpt: excerptAround(ownText, left.index),
    };
  }
  const absence = outOfOfficePhrase.exec(ownText);
  if (!absence) return undefined;
  const support = automaticWording.exec(ownText) ?? returnCue.exec(ownText) ?? referralCue.exec(ownText);
  if (!support) return undefined;
  return {
    rule: 'out-of-office-text',
    label: 'ooo',
    facts: [`absence wording "${absence[0]}"`, `with "${support[0]}"`],
    excerpt: excerptAround(ownText, absence.index),
  };
}

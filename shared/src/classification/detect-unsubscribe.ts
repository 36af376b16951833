import type { HeaderMap } from './headers';
import { excerptAround, type RuleMatch } from './rule-match';

/** Requests to stop mailing, in English, German, French and Spanish. */
const optOutRequest = new RegExp(
  [
    'unsubscribe',
    'un-subscribe',
    'opt(?:ing)? (?:me )?out',
    'remove (?:me|us|my (?:e-?mail|address|name|details|contact|data)|this (?:e-?mail )?address)',
    '(?:be|get|being) removed from',
    'take (?:me|us|my (?:e-?mail|address|name)) off',
    '(?:stop(?:ped|ping)?|quit|cease) (?:e-?mailing|mailing|sending|contacting|messaging|spamming|writing to|reaching out to|emailing) (?:me|us)',
    '(?:stop|quit) (?:e-?mailing|spamming|sending (?:me|us) )',
    "(?:don't|do not|never) (?:e-?mail|contact|message|write to|mail) (?:me|us)",
    "(?:don't|do not) (?:send|want) (?:me |us )?(?:any )?(?:more |further )?(?:e-?mails|emails|messages|mail)",
    '(?:no|not want any) (?:more|further) (?:e-?mails|messages|mails)',
    'delete (?:my|our) (?:data|details|e-?mail|address|contact|information)',
    'leave me alone',
    'cease and desist',
    'take this address off',
    'abmelden',
    'austragen',
    'abbestellen',
    'entfernen sie (?:mich|uns|meine)',
    'nehmen sie (?:mich|uns|meine [^\\n]{0,20}) (?:aus|von)',
    'aus (?:ihrem|dem|ihrer) (?:verteiler|liste|e-?mail-?verteiler|mailing)',
    'keine (?:weiteren )?(?:e-?mails|mails|nachrichten|werbung)',
    '(?:nicht mehr|nie wieder) (?:kontaktieren|anschreiben|anmailen)',
    'streichen sie (?:mich|uns|meine)',
    'löschen sie (?:meine|unsere) (?:daten|adresse|e-?mail|kontaktdaten)',
    'widerspreche? der (?:nutzung|verwendung|verarbeitung)',
    'désabonn',
    'désinscri',
    '(?:retirez|supprimez|enlevez|rayez)[- ](?:moi|nous)',
    '(?:retirer|supprimer|rayer|enlever) (?:de|mon adresse de) (?:votre|vos|la) (?:liste|fichier)',
    'ne (?:plus|pas) (?:me|nous) (?:contacter|écrire|envoyer)',
    'ne me contactez plus',
    'ne plus recevoir',
    "ne plus m['’](?:écrire|envoyer)",
    "arrêtez (?:de m'|de nous |les )(?:envoyer|écrire|e-?mails|messages)",
    'dar(?:me|nos)? de baja',
    'denme de baja',
    '(?:elimin|sac|borr|quit)(?:en|ar|e)(?:me|nos) (?:de|del)',
    'elimínenme|elimíneme|sáquenme|sáqueme|bórrenme|bórreme',
    'no (?:me|nos) (?:contacten|escriban|envíen|manden|vuelvan a (?:contactar|escribir))',
    'dej(?:en|e) de (?:enviarme|escribirme|contactarme|mandarme)',
    'no deseo recibir',
    'no quiero recibir',
    'cancelar (?:la )?suscripción',
    'desuscrib',
    'cancellami|cancellatemi|rimuovetemi|rimuovimi|toglietemi',
    'non (?:mi|ci) (?:contattate|scrivete|inviate|mandate) più',
    'non voglio (?:più )?ricevere',
    '(?:cancellare|rimuovere) (?:il mio|la mia) (?:indirizzo|e-?mail|nominativo)',
    'uitschrijven|afmelden voor',
    'verwijder (?:mij|me|ons|mijn (?:e-?mail|adres|gegevens))',
    '(?:geen|niet langer) (?:e-?mails|mails|berichten) (?:meer )?(?:ontvangen|sturen)',
    'stuur (?:mij|me|ons) geen',
    'descadastr',
    '(?:remova|remover|tire|retire)[- ]?(?:me|nos|o meu|meu (?:e-?mail|endereço))',
    'não (?:quero|desejo) (?:mais )?receber',
    'parem de (?:me )?(?:enviar|mandar|contactar)',
    '配信(?:を)?停止|配信不要|送らないで|メール(?:を)?(?:送付|送信)?(?:しないで|不要)|登録(?:を)?解除',
    '退订|取消订阅|不要再(?:发|联系)|请勿再(?:发|联系)|停止发送|退訂|取消訂閱',
  ].join('|'),
  'i',
);

/** Speaker wants to keep receiving mail ("please don't unsubscribe me"). */
const negatedRequest = /(?:don't|do not|no need to|not asking (?:you )?to|didn't|did not|never asked to)\s+(?:\w+\s+){0,2}$/i;

/** A subject or reply that is nothing but an opt-out ("Unsubscribe", "STOP", "Baja, por favor."). */
const optOutOnly =
  /^\s*(?:unsubscribe|remove(?: me)?|stop|opt[- ]?out|abmelden|austragen|désabonnement|désinscription|baja|darme de baja|uitschrijven|afmelden|cancellami|descadastrar|配信停止|退订)[\s.!,]*(?:now|please|pls|por favor|bitte|merci|thanks?|thank you|gracias)?[\s.!]*$/i;

export function detectUnsubscribeRequest(subject: string, ownText: string): RuleMatch | undefined {
  if (optOutOnly.test(subject)) {
    return {
      rule: 'unsubscribe-request',
      label: 'unsubscribe',
      facts: [`subject asks to opt out: "${subject.trim()}"`],
      excerpt: subject.trim().slice(0, 300),
    };
  }
  if (optOutOnly.test(ownText)) {
    return {
      rule: 'unsubscribe-request',
      label: 'unsubscribe',
      facts: [`reply is only an opt-out: "${ownText.trim()}"`],
      excerpt: ownText.trim().slice(0, 300),
    };
  }
  const pattern = new RegExp(optOutRequest.source, 'gi');
  for (const match of ownText.matchAll(pattern)) {
    const lead = ownText.slice(Math.max(0, match.index - 40), match.index);
    if (negatedRequest.test(lead)) continue;
    return {
      rule: 'unsubscribe-request',
      label: 'unsubscribe',
      facts: [`asks to stop mailing: "${match[0]}"`],
      excerpt: excerptAround(ownText, match.index),
    };
  }
  return undefined;
}

const feedbackReport = /report-type="?feedback-report|^feedback-type\s*:\s*(?:abuse|fraud)/im;

/** A recipient's "report spam" forwarded by their provider (ARF, RFC 5965): never mail them again. */
export function detectSpamComplaint(headers: HeaderMap, fullText: string): RuleMatch | undefined {
  const contentType = headers.get('content-type') ?? '';
  const inHeader = feedbackReport.test(contentType);
  const inBody = feedbackReport.exec(fullText.slice(0, 20_000));
  if (!inHeader && !inBody) return undefined;
  return {
    rule: 'spam-complaint',
    label: 'unsubscribe',
    facts: [inHeader ? 'Content-Type: multipart/report; report-type=feedback-report header present' : 'abuse feedback report in body'],
    excerpt: excerptAround(fullText, inBody?.index ?? 0),
  };
}

import { applyIsotonic, reliabilityOf } from './calibration';
import { extractBounce } from './extract-bounce';
import { emailAddresses } from './email-address';
import { extractOooDetails, extractReferral } from './extract-ooo';
import { featureVector } from './features';
import { replyModelSchema, scoreReply, type ModelScores, type ReplyModel } from './model';
import { matchRules, readReply, replyFeatures, type ReadReply } from './read-reply';
import type { RuleMatch } from './rule-match';
import type { InboundMessage, ReplyClassification, ReplyLabel, TraceStep } from './schema';
import weightsFile from './weights.json';

/**
 * Out-of-office notices and bounces are recognised by their form (headers, server wording, absence phrases).
 * When no rule saw that form, the model alone must be this sure before it may call a reply one of them:
 * calling a human "yes" an auto-reply would silently lose the deal.
 */
const formlessLabelThreshold = 0.9;
const formLabels: ReadonlySet<ReplyLabel> = new Set(['ooo', 'bounce']);

/** Confidence ceiling when the body has no words of its own and only a subject line speaks. */
const subjectOnlyConfidenceCap = 0.5;
/** Confidence of the best-effort label for a reply with nothing the model can read. */
const unreadableConfidence = 0.2;

function describeFeature(name: string): string | undefined {
  const [kind, value] = [name.slice(0, 2), name.slice(2)];
  if (kind === 'w:') return `word "${value}"`;
  if (kind === 'n:') return `negated word "${value}"`;
  if (kind === 'b:') return `phrase "${value}"`;
  if (kind === 's:') return `subject word "${value}"`;
  if (name.startsWith('cue:')) return `${name.slice(4)} phrasing`;
  return undefined;
}

/** The sentence of the reply that pushes hardest toward `label`: what a reviewer should read first. */
function strongestSentence(model: ReplyModel, reply: ReadReply, label: ReplyLabel): string {
  const labelIndex = model.labels.indexOf(label);
  const sentences = reply.text.ownText
    .split(/(?<=[.!?])\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '')
    .slice(0, 40);
  let best = { sentence: sentences[0] ?? reply.text.subject, score: -Infinity };
  for (const sentence of sentences) {
    const features = featureVector('', sentence, model.bucketCount);
    let score = 0;
    features.buckets.forEach((bucket, i) => {
      score += (model.weights[String(bucket)]?.[labelIndex] ?? 0) * (features.values[i] ?? 0);
    });
    if (score > best.score) best = { sentence, score };
  }
  return best.sentence.replace(/\s+/g, ' ').slice(0, 300);
}

function modelTrace(model: ReplyModel, scores: ModelScores): TraceStep {
  const ranked = Object.entries(scores.probabilities)
    .sort((a, b) => b[1] - a[1])
    .map(([label, probability]) => `${label} ${probability.toFixed(3)}`)
    .join(', ');
  return { step: 'model', detail: `calibrated probabilities (temperature ${model.temperature}): ${ranked}` };
}

function modelFacts(scores: ModelScores, label: ReplyLabel): string[] {
  if (label !== scores.best) return [];
  return scores.topFeatures
    .map((feature) => {
      const described = describeFeature(feature.name);
      return described ? `${described} points to ${scores.best} (+${feature.contribution.toFixed(2)})` : undefined;
    })
    .filter((fact): fact is string => fact !== undefined)
    .slice(0, 3);
}

function decide(model: ReplyModel, reply: ReadReply, rule: RuleMatch | undefined, scores: ModelScores, trace: TraceStep[]) {
  if (rule) {
    const confidence = model.ruleReliability[rule.rule];
    trace.push({
      step: 'calibration',
      detail: `rule ${rule.rule} is right ${(confidence * 100).toFixed(1)}% of the time on the calibration data`,
    });
    return { label: rule.label, confidence, excerpt: rule.excerpt, facts: rule.facts, rule: rule.rule };
  }
  if (scores.recognisedFeatures === 0) {
    trace.push({
      step: 'low-confidence',
      detail: 'no words of the reply are known to the model (empty, quoted-only or unreadable body); neutral as a best effort',
    });
    return { label: 'neutral' as const, confidence: unreadableConfidence, excerpt: reply.text.ownText.slice(0, 300), facts: [] };
  }
  let label = scores.best;
  if (formLabels.has(label) && scores.probabilities[label] < formlessLabelThreshold) {
    const [fallback] = (Object.entries(scores.probabilities) as [ReplyLabel, number][])
      .filter(([candidate]) => !formLabels.has(candidate))
      .sort((a, b) => b[1] - a[1]);
    trace.push({
      step: 'model',
      detail: `${label} at ${scores.probabilities[label].toFixed(3)} without any ${label} wording or header is below ${formlessLabelThreshold}; next best label used`,
    });
    label = fallback?.[0] ?? 'neutral';
  }
  let confidence = calibrated(model, label, scores.probabilities[label]);
  if (model.isotonic) {
    trace.push({
      step: 'calibration',
      detail: `isotonic map for ${label}: probability ${scores.probabilities[label].toFixed(3)} → ${confidence.toFixed(3)} (share right on held-out replies scored alike)`,
    });
  }
  if (!/\p{L}/u.test(reply.text.ownText)) {
    confidence = Math.min(confidence, subjectOnlyConfidenceCap);
    trace.push({
      step: 'low-confidence',
      detail: `no own words in the body; label rests on the subject alone, confidence capped at ${subjectOnlyConfidenceCap}`,
    });
  }
  return { label, confidence, excerpt: strongestSentence(model, reply, label), facts: modelFacts(scores, label) };
}

/** The model's probability made a frequency: what share of held-out replies scored alike had the label. */
function calibrated(model: ReplyModel, label: ReplyLabel, probability: number): number {
  const map = model.isotonic?.[label] ?? model.isotonic?.all;
  return map ? applyIsotonic(map, probability) : probability;
}

function classifyReadReply(model: ReplyModel, reply: ReadReply): ReplyClassification {
  const trace: TraceStep[] = [...reply.notes];
  const rules = matchRules(reply);
  trace.push(...rules.checked);
  const scores = scoreReply(model, replyFeatures(reply, model.bucketCount));
  trace.push(modelTrace(model, scores));
  const decision = decide(model, reply, rules.match, scores, trace);
  const facts = [...decision.facts];
  const classification: ReplyClassification = {
    label: decision.label,
    confidence: decision.confidence,
    evidence: { excerpt: decision.excerpt.slice(0, 300), facts, trace },
  };
  if ('rule' in decision && decision.rule) classification.rule = decision.rule;
  classification.alternatives = (Object.entries(scores.probabilities) as [ReplyLabel, number][])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([label, probability]) => ({ label, probability: Number(probability.toFixed(4)) }));
  const reliability = model.reliability ? reliabilityOf(model.reliability, decision.confidence) : undefined;
  if (reliability) classification.reliability = reliability;
  if (decision.label === 'ooo') {
    const ooo = extractOooDetails({
      subject: reply.rawSubject,
      ownText: reply.text.ownText,
      from: reply.from,
      ...(reply.date ? { date: reply.date } : {}),
    });
    if (ooo.returnDate) facts.push(`back on ${ooo.returnDate}`);
    if (ooo.referral) facts.push(`refers to ${[ooo.referral.name, ooo.referral.email].filter(Boolean).join(' ')}`);
    if (ooo.leftCompany) facts.push('no longer with the company');
    trace.push({ step: 'extract-ooo', detail: JSON.stringify(ooo) });
    classification.ooo = ooo;
  }
  if (decision.label === 'neutral' || decision.label === 'objection') {
    const referral = extractReferral(reply.text.ownText, emailAddresses(reply.from)[0]);
    if (referral) {
      facts.push(`refers to ${[referral.name, referral.email].filter(Boolean).join(' ')}`);
      trace.push({ step: 'extract-referral', detail: JSON.stringify(referral) });
      classification.referral = referral;
    }
  }
  if (decision.label === 'bounce') {
    const { kindReason, ...bounce } = extractBounce(reply.text.fullText, reply.headers, reply.from);
    facts.push(`${bounce.kind} bounce: ${kindReason}`);
    trace.push({ step: 'extract-bounce', detail: JSON.stringify(bounce) });
    classification.bounce = bounce;
  }
  return classification;
}

/**
 * A reply classifier over the given model. Pure and deterministic; never throws: malformed input gets a
 * best-effort label with low confidence and a trace entry saying why.
 */
export function createReplyClassifier(model: ReplyModel): (message: InboundMessage) => ReplyClassification {
  return (message) => {
    try {
      return classifyReadReply(model, readReply(message));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        label: 'neutral',
        confidence: 0,
        evidence: { excerpt: '', facts: [], trace: [{ step: 'error', detail: `could not classify: ${reason.slice(0, 200)}` }] },
      };
    }
  };
}

/** Classifies a reply to an outbound email with the shipped model (weights.json). */
export const classifyReply = createReplyClassifier(replyModelSchema.parse(weightsFile));

/**
 * Every function of the ASEP Functions app. Importing this module registers them with the Azure
 * Functions programming model; Azure's entry (app.ts) and the local suite's host both import it, so
 * the same registrations run in both places.
 */
import './composition/health-routes';
import './identity/routes';
import './prospects/routes';
import './campaigns/routes';
import './approvals/routes';
import './killswitch/routes';
import './policies/routes';
import './audit/routes';
import './insights/routes';
import './deals/routes';
import './bookings/routes';
import './reps/routes';
import './replies/routes';
import './reports/routes';
import './operations/routes';
import './orchestrations/sequence';
import './sending/prepare-step';
import './sending/send-step';
import './approvals/approval-steps';
import './research/research-step';
import './orchestrations/triage';
import './replies/triage-reply';
import './replies/review-steps';
import './deals/deal-steps';
import './orchestrations/canary';
import './deliverability/canary-step';
import './orchestrations/campaign-start';
import './campaigns/campaign-start-step';
import './orchestrations/killswitch-release';
import './killswitch/release-steps';
import './orchestrations/graph-intake';
import './unsubscribe/routes';
import './bot/routes';
import './integrations/routes';
import './openai/routes';
import './hubspot/routes';
import './graph/routes';

/** What `GET /api/healthz` waits for before it answers ready. */
const components = { store: false, durable: false, bot: false };

export type Component = keyof typeof components;

export function markReady(component: Component): void {
  components[component] = true;
}

export function readiness(): { ready: boolean; components: Record<Component, boolean> } {
  return { ready: Object.values(components).every(Boolean), components: { ...components } };
}

import { afterAll, describe, expect, it, vi } from 'vitest';
import { installFunctionsCoreStandIn, registeredFunctions } from '@asep/local/functions-host';

describe('the Azure entry point', () => {
  afterAll(() => vi.unstubAllEnvs());

  it('registers no /api/dev route, even when the app settings say ASEP_ENV=local', async () => {
    // The worst case: someone copies the local setting into the Function App. Dev routes must still be absent.
    vi.stubEnv('ASEP_ENV', 'local');
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    installFunctionsCoreStandIn();
    await import('./app');
    const routes = registeredFunctions().flatMap((registration) =>
      Object.values(registration.bindings)
        .filter((binding) => binding.type === 'httpTrigger')
        .map((binding) => binding.route ?? registration.name),
    );
    expect(routes).toContain('v1/approvals');
    expect(routes).toContain('messages');
    expect(routes.filter((route) => /^\/?dev\//.test(route))).toEqual([]);
  });
});

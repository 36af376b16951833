import { isAllowed, permissionMatrix, type Permission } from '@asep/shared/access/matrix';
import { registerApi } from '../http/api';

/** Who the caller is and what they may do, so a client shows only the actions the role allows. */
registerApi('me', { route: 'v1/me', methods: ['GET'], permission: 'profile.read' }, async ({ principal }) => ({
  body: {
    ...principal,
    permissions: (Object.keys(permissionMatrix) as Permission[]).filter((permission) => isAllowed(principal.roles, permission)),
  },
}));

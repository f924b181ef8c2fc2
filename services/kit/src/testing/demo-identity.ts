import { userIdentity, type Identity } from '../auth/identity';
import { DEMO_USERS } from '../demo/demo-users';

/** The identity of a demo staff member (ids fixed in DEMO_USERS), as the gateway would forward it. */
export function demoIdentity(email: string): Identity {
  const user = DEMO_USERS.find((demo) => demo.email === email);
  if (!user) throw new Error(`no demo user ${email}`);
  return userIdentity(user.id, user.name, user.roles);
}

import { parseUserUpserted, UnprocessableEventError, USER_UPSERTED, type EventHandlers } from '@kartoteka/kit';
import { StaffService } from './staff.service';

/** identity's user events keep the staff directory current (run by the documents event consumer). */
export const staffEventHandlers: EventHandlers = {
  [USER_UPSERTED]: async (event, em) => {
    const user = parseUserUpserted(event);
    if (!user) throw new UnprocessableEventError(`Malformed ${USER_UPSERTED} payload`);
    await new StaffService(em).upsert({ id: user.id, email: user.email, name: user.name, roles: user.roles, active: user.active, updatedAt: new Date(user.updatedAt) });
  },
};

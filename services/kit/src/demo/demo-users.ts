import type { RoleCode } from '../auth/permissions';

/**
 * Demo staff with fixed ids, so every service's demo seed can refer to them (authors, owners, managers)
 * without reading the identity database. Used only in demo mode.
 */
export const DEMO_USERS: readonly { id: string; email: string; name: string; password: string; roles: RoleCode[] }[] = [
  { id: '00000000-0000-4000-8000-000000000001', email: 'admin@kartoteka.local', name: 'Администратор Системы', password: 'admin', roles: ['ADMIN'] },
  { id: '00000000-0000-4000-8000-000000000002', email: 'manager@kartoteka.local', name: 'Ольга Смирнова', password: 'manager', roles: ['MANAGER'] },
  { id: '00000000-0000-4000-8000-000000000003', email: 'sales@kartoteka.local', name: 'Дмитрий Кузнецов', password: 'sales', roles: ['MANAGER'] },
  { id: '00000000-0000-4000-8000-000000000004', email: 'approver@kartoteka.local', name: 'Елена Волкова', password: 'approver', roles: ['APPROVER', 'LAWYER'] },
  { id: '00000000-0000-4000-8000-000000000005', email: 'director@kartoteka.local', name: 'Андрей Морозов', password: 'director', roles: ['APPROVER', 'MANAGER', 'DIRECTOR'] },
  { id: '00000000-0000-4000-8000-000000000006', email: 'viewer@kartoteka.local', name: 'Ирина Лебедева', password: 'viewer', roles: ['VIEWER'] },
  { id: '00000000-0000-4000-8000-000000000007', email: 'accountant@kartoteka.local', name: 'Наталья Соколова', password: 'accountant', roles: ['APPROVER', 'ACCOUNTANT'] },
];

export const DEMO_MANAGER_IDS = DEMO_USERS.filter((user) => user.roles.includes('MANAGER')).map((user) => user.id);

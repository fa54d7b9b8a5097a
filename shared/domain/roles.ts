/** The four roles of a branch (DOMAIN.md「Who works and where」). */
export const ROLES = ['staff', 'sales', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  staff: '回访专员',
  sales: '业务员',
  manager: '主管',
  admin: '管理员',
};

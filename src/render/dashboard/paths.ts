/** The dashboard's addresses, built in one place so links and routes agree. */
const seg = encodeURIComponent;

export const dashboardPaths = {
  home: "/",
  signIn: "/signin",
  insights: "/insights",
  program: (program: string) => `/programs/${seg(program)}`,
  project: (program: string, project: string) => `/programs/${seg(program)}/projects/${seg(project)}`,
  mentor: (program: string, login: string) => `/programs/${seg(program)}/mentors/${seg(login)}`,
  mentee: (program: string, login: string) => `/programs/${seg(program)}/mentees/${seg(login)}`,
  evaluations: (program: string, login: string) => `/programs/${seg(program)}/mentees/${seg(login)}/evaluations`,
  checkIns: (program: string, login: string) => `/programs/${seg(program)}/mentees/${seg(login)}/check-ins`,
};

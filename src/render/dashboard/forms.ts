/**
 * The dashboard's two forms: an evaluation (a mentor's outcome, or a mentee's rating of their
 * mentoring) and a check-in. Plain HTML forms that work without JavaScript, each with its CSRF token.
 */
import type { EvaluationRound } from "../../domain/evaluations.js";
import { html, type Html } from "./html.js";

export function evaluationForm(options: {
  action: string;
  csrf: string;
  side: "mentor" | "mentee";
  rounds: readonly EvaluationRound[];
  project: string;
}): Html {
  const rounds = options.rounds.filter((r) => r.by === "both" || r.by === options.side);
  if (rounds.length === 0) return html``;
  const fields =
    options.side === "mentor"
      ? html`<fieldset><legend>Outcome</legend>${(["pass", "fail", "extend"] as const).map(
          (o, i) => html`<label><input type="radio" name="outcome" value="${o}"${i === 0 ? html` checked` : ""}> ${o}</label>`,
        )}</fieldset><label for="extendTo">New due date (with extend only)</label><input type="date" id="extendTo" name="extendTo">`
      : html`<label for="rating">How good was the mentoring? (1 to 5)</label><select id="rating" name="rating" required>${[5, 4, 3, 2, 1].map((n) => html`<option value="${n}">${n}</option>`)}</select>`;
  return html`<form class="record" method="post" action="${options.action}"><h3>${options.side === "mentor" ? "Record an evaluation" : "Give feedback on your mentoring"}</h3><input type="hidden" name="csrf" value="${options.csrf}"><input type="hidden" name="project" value="${options.project}"><label for="round">Round</label><select id="round" name="round">${rounds.map(
    (r) => html`<option value="${r.id}">${r.title} (due ${r.due})</option>`,
  )}</select>${fields}<label for="note">Private note (optional; only admins${options.side === "mentor" ? " and the mentee's mentors" : ""} read it)</label><textarea id="note" name="note" maxlength="4000"></textarea><p><button type="submit">Record</button></p></form>`;
}

export function checkInForm(options: { action: string; csrf: string }): Html {
  return html`<form class="record" method="post" action="${options.action}"><h3>Record a check-in</h3><input type="hidden" name="csrf" value="${options.csrf}"><label for="checkin-note">Note (optional, private)</label><textarea id="checkin-note" name="note" maxlength="4000"></textarea><p><button type="submit">Record check-in</button></p></form>`;
}

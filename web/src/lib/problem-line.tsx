import type { PageError } from './page-error.js';

/** An error sentence, announced as an alert, with the link that helps when there is one. */
export function ProblemLine({ problem, class: className = 'problem' }: { problem: PageError; class?: string }) {
  return (
    <p class={className} role="alert">
      {problem.text}
      {problem.link && (
        <>
          {' '}
          <a href={problem.link.href}>{problem.link.label}</a>
        </>
      )}
    </p>
  );
}

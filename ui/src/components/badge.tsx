/** A state as a coloured pill; the colour classes live in styles.css. */
export function StateBadge({ state, testId }: { state: string; testId?: string }) {
  return (
    <span class={`badge state-${state}`} data-testid={testId} data-state={state}>
      {state.replace('_', ' ')}
    </span>
  );
}

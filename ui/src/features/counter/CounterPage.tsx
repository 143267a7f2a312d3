export function CounterPage() {
  return <div>CounterPage</div>;
}

export function LocationsPage() {
  return <div>LocationsPage</div>;
}

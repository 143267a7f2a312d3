export function InventoryPage() {
  return <div>InventoryPage</div>;
}

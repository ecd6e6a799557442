import { createContext, useContext } from 'react';

export interface Holder {
  /** `Patient/<id>` of the DMP shown: the holder's own, or the minor a representative acts for. */
  patient: fhir4.Patient;
  reference: string;
  /** The signed-in person acts as a legal representative (R7.5). */
  representative: boolean;
}

export const HolderContext = createContext<Holder | undefined>(undefined);

export function useHolder(): Holder {
  const holder = useContext(HolderContext);
  if (!holder) throw new Error('useHolder outside the Mon DMP space');
  return holder;
}

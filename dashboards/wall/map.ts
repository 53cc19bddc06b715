// The deck.gl map without a base map: dark background from the page, our layers only, no tiles fetched.
import { Deck, type DeckProps, type LayersList } from '@deck.gl/core';
import type { MapViewState } from './view.ts';

export interface WallMap {
  setLayers(layers: LayersList): void;
  zoom(): number;
}

export interface WallMapOptions {
  initialViewState: MapViewState;
  getTooltip: NonNullable<DeckProps['getTooltip']>;
  /** Called as the operator zooms; label visibility depends on it. */
  onZoom: (zoom: number) => void;
  /** A click on the map: what was under the pointer, if anything. */
  onClick?: NonNullable<DeckProps['onClick']>;
}

export function createMap(parent: HTMLDivElement, options: WallMapOptions): WallMap {
  let zoom = options.initialViewState.zoom;
  const deck = new Deck({
    parent,
    initialViewState: options.initialViewState,
    // A north-up wall: rotation only disorients operators who share the screen.
    controller: { dragRotate: false, touchRotate: false, keyboard: true },
    pickingRadius: 5,
    getTooltip: options.getTooltip,
    ...(options.onClick ? { onClick: options.onClick } : {}),
    onViewStateChange: ({ viewState }) => {
      const next = (viewState as { zoom?: number }).zoom;
      if (typeof next === 'number' && next !== zoom) {
        zoom = next;
        options.onZoom(zoom);
      }
    },
    layers: [],
  });
  return {
    setLayers: (layers) => deck.setProps({ layers }),
    zoom: () => zoom,
  };
}
